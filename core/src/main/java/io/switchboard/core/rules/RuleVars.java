package io.switchboard.core.rules;

import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelVariableResolver;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The variables of one evaluation, answered by name. CEL copies a {@code Map} of variables into
 * an immutable activation on every {@code eval}; that copy (a stream into an ImmutableMap) was a
 * third of a rule's cost in the gateway bench's profile, so the variables are looked up here
 * instead, and {@code now} is only read from the clock when the expression asks for it.
 */
final class RuleVars implements CelVariableResolver {
    private final Evaluator.Caller caller;
    private final String op;
    private final String path;
    private final Object data;
    private final Object newData;
    private final Map<String, String> bindings;
    private final LongSupplier clock;

    RuleVars(Evaluator.Caller caller, String op, String path, Object data, Object newData, Map<String, String> bindings,
             LongSupplier clock) {
        this.caller = caller;
        this.op = op;
        this.path = path;
        this.data = data == null ? NullValue.NULL_VALUE : data;
        this.newData = newData == null ? NullValue.NULL_VALUE : newData;
        this.bindings = bindings;
        this.clock = clock;
    }

    @Override
    public Optional<Object> find(String name) {
        return Optional.ofNullable(switch (name) {
            case Vars.AUTH -> caller.auth();
            case Vars.OP -> op;
            case Vars.PATH -> path;
            case Vars.REQUEST -> caller.request();
            case Vars.NOW -> Instant.ofEpochMilli(clock.getAsLong());
            case Vars.DATA -> data;
            case Vars.NEW_DATA -> newData;
            default -> bindings.get(name);
        });
    }
}
