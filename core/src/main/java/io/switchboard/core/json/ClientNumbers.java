package io.switchboard.core.json;

import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ValueNode;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Numbers in client text. Jackson would read {@code 1e400} as Infinity (stored as the string
 * "Infinity") and {@code 1e-400} silently as 0.0; reading floats exactly first shows them. A
 * number a 64-bit float or integer holds becomes the usual double or long node; one it cannot
 * hold (overflowing to ±Infinity, a non-zero literal rounding to 0, an integer beyond 64 bits)
 * becomes an {@link Unrepresentable} node, which {@link JsonText#requireWellFormed} refuses
 * naming the field.
 */
final class ClientNumbers extends JsonNodeFactory {
    static final ClientNumbers FACTORY = new ClientNumbers();

    /** A number client text spelled that no stored number can hold exactly enough. */
    interface Unrepresentable {
        /** The number as the client wrote it (normalized). */
        String literal();
    }

    private ClientNumbers() {
        super(false);
    }

    @Override
    public ValueNode numberNode(BigDecimal v) {
        if (v == null) {
            return nullNode();
        }
        double d = v.doubleValue();
        if (Double.isInfinite(d) || (d == 0 && v.signum() != 0)) {
            return new HugeDecimal(v);
        }
        return DoubleNode.valueOf(d);
    }

    @Override
    public ValueNode numberNode(BigInteger v) {
        if (v == null) {
            return nullNode();
        }
        return v.bitLength() < 64 ? LongNode.valueOf(v.longValue()) : new HugeInteger(v);
    }

    private static final class HugeDecimal extends DecimalNode implements Unrepresentable {
        HugeDecimal(BigDecimal v) {
            super(v);
        }

        @Override
        public String literal() {
            return decimalValue().toString();
        }
    }

    private static final class HugeInteger extends BigIntegerNode implements Unrepresentable {
        HugeInteger(BigInteger v) {
            super(v);
        }

        @Override
        public String literal() {
            return bigIntegerValue().toString();
        }
    }
}
