package io.switchboard.core.engine;

import io.switchboard.core.result.Result;

import java.util.function.UnaryOperator;

/**
 * The result of an op and, optionally, work that must happen right after the reply was handed
 * to the session (a subscription's replay and go-live, a deferred write's published notice).
 */
public record Outcome(Result result, Runnable afterReply) {
    public static Outcome of(Result result) {
        return new Outcome(result, null);
    }

    /** The same outcome with its result mapped (pipeline stages on the way out). */
    public Outcome map(UnaryOperator<Result> f) {
        Result r = f.apply(result);
        return r == result ? this : new Outcome(r, afterReply);
    }
}
