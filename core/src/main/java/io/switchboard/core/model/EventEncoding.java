package io.switchboard.core.model;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A door's wire encoding of events (an adapter's frame body, say), cached on each event the
 * first time it is needed, so fan-out serializes an event once per format however many
 * subscribers receive it. Create one instance per format, as a constant.
 *
 * @param <T> the encoded form (usually {@code byte[]})
 */
public final class EventEncoding<T> {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String name;
    private final Function<Event, T> encoder;
    private final int slot;

    private EventEncoding(String name, Function<Event, T> encoder) {
        this.name = name;
        this.encoder = encoder;
        this.slot = NEXT.getAndIncrement();
    }

    public static <T> EventEncoding<T> of(String name, Function<Event, T> encoder) {
        return new EventEncoding<>(name, encoder);
    }

    public String name() {
        return name;
    }

    int slot() {
        return slot;
    }

    T encode(Event e) {
        return encoder.apply(e);
    }
}
