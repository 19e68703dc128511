package io.switchboard.core.query.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;

import java.math.BigDecimal;

/** A criteria value with its JSON kind decided once, so a renderer only switches on the type. */
public sealed interface Operand {
    /** A number; {@link #bind()} is what a SQL driver binds (exact long when it fits, else double). */
    record Num(BigDecimal value, Object bind) implements Operand { }

    record Text(String value) implements Operand { }

    record Bool(boolean value) implements Operand { }

    record Null() implements Operand { }

    /** An array or object, equal only to a structurally equal value; {@code json} is its text. */
    record Structure(JsonNode value, String json, boolean isArray) implements Operand { }

    /** True when a condition with this operand also tests each element of an array field. */
    default boolean elementWise() {
        return !(this instanceof Structure s && s.isArray());
    }

    static Operand of(JsonNode v) {
        if (v.isNumber()) {
            Object bind = v.isIntegralNumber() && v.canConvertToLong() ? (Object) v.longValue() : (Object) v.doubleValue();
            return new Num(v.decimalValue(), bind);
        }
        if (v.isTextual()) {
            return new Text(v.asText());
        }
        if (v.isBoolean()) {
            return new Bool(v.booleanValue());
        }
        if (v.isNull() || v.isMissingNode()) {
            return new Null();
        }
        return new Structure(v, Json.write(v), v.isArray());
    }
}
