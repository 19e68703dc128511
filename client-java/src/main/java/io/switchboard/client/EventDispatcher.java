package io.switchboard.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The one serial thread of a client on which listeners run: events of every subscription, system
 * messages and recovery notices, in the order the connection read them. Listeners may block here
 * without stalling the Netty event loop (replies keep flowing, so a listener may even wait for a
 * request of its own).
 */
final class EventDispatcher {
    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

    private final ExecutorService thread;
    private final Consumer<ObjectNode> systemListener;

    EventDispatcher(String name, Consumer<ObjectNode> systemListener) {
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true); // a forgotten client must not keep the JVM alive
            return t;
        });
        this.systemListener = systemListener;
    }

    /** Delivers {@code e} to the subscription's listener, then acknowledges it when asked to. */
    void deliver(NetworkSubscription sub, Event e, boolean needsAck, LongConsumer ack) {
        run(() -> {
            try {
                if (!sub.isCancelled()) {
                    sub.listener.onEvent(e);
                }
            } finally {
                sub.delivered(e.offset());
                if (needsAck) {
                    ack.accept(e.offset()); // after the listener: "acknowledged" means processed
                }
            }
        });
    }

    void system(ObjectNode message) {
        if (systemListener != null) {
            run(() -> systemListener.accept(message));
        }
    }

    /** Runs {@code r} in order with the events; a failing callback is logged, not fatal. */
    void run(Runnable r) {
        try {
            thread.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException ex) {
                    log.warn("client listener failed", ex);
                }
            });
        } catch (RejectedExecutionException e) {
            // closed: nothing more is delivered
        }
    }

    /** Lets what is queued finish, accepts nothing new. */
    void shutdown() {
        thread.shutdown();
    }
}
