package io.switchboard.client;

import io.netty.channel.EventLoopGroup;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where the client's timers run (request timeouts, reconnect delays, the connect deadline): on
 * its Netty event loop, so a client needs no timer thread and no thread per request.
 */
@FunctionalInterface
interface Scheduler {
    /** Runs {@code task} after {@code delayMs}; null when the loop is shutting down and it never will. */
    ScheduledFuture<?> schedule(Runnable task, long delayMs);

    /** Timers on {@code group}; a rejection means the group is shutting down with the client. */
    static Scheduler on(EventLoopGroup group) {
        return (task, delayMs) -> {
            try {
                return group.schedule(task, delayMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                return null;
            }
        };
    }
}
