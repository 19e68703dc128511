package io.switchboard.core.rules;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;

import java.util.Set;

/**
 * One compiled, type-checked rule expression and what it reads. Which variables it references
 * decides what a check costs: {@code data} in a write rule costs a store read, and a read rule
 * that references neither {@code data}, {@code newData} nor {@code now} is decided once per
 * subscription and binding instead of once per delivery. Thread-safe.
 */
public final class Expr {
    private final String source;
    private final CelRuntime.Program program;
    private final boolean data;
    private final boolean newData;
    private final boolean now;
    private final boolean path;
    private final boolean request;
    private final boolean bindings;

    Expr(String source, CelRuntime.Program program, Set<String> references, Set<String> bindingNames) {
        this.source = source;
        this.program = program;
        this.data = references.contains(Vars.DATA);
        this.newData = references.contains(Vars.NEW_DATA);
        this.now = references.contains(Vars.NOW);
        this.path = references.contains(Vars.PATH);
        this.request = references.contains(Vars.REQUEST);
        boolean b = false;
        for (String n : bindingNames) {
            b |= references.contains(n);
        }
        this.bindings = b;
    }

    public String source() {
        return source;
    }

    /** True when the expression reads the stored document. */
    public boolean usesData() {
        return data;
    }

    /** True when the expression reads the clock ({@code now}): its outcome may change with no write. */
    public boolean usesNow() {
        return now;
    }

    /** True when the expression reads {@code request} (the caller's address): it may differ between sessions. */
    public boolean usesRequest() {
        return request;
    }

    public boolean usesNewData() {
        return newData;
    }

    /**
     * True when the outcome depends only on who asks and where (auth, op, request, bindings):
     * a decision that may be cached per subscription.
     */
    boolean cacheable() {
        return !data && !newData && !now;
    }

    /** True when the outcome may differ from one path to the next under the rule's pattern. */
    boolean pathDependent() {
        return path || bindings;
    }

    /** Evaluates; anything but {@code true} is a denial. Throws on an evaluation error. */
    boolean test(CelVariableResolver vars) throws CelEvaluationException {
        return Boolean.TRUE.equals(program.eval(vars));
    }
}
