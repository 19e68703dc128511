package io.switchboard.core.session;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A typed slot on a {@link Session} (or, for delivery filters, on a subscription). Each key gets
 * a small index at creation, so a lookup is an array read, not a map probe: sessions are
 * thousands, keys a handful (security state, rate-limit bucket, an adapter's session info).
 *
 * @param <T> the value's type
 */
public final class AttributeKey<T> {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String name;
    private final Class<T> type;
    private final int index;

    private AttributeKey(String name, Class<T> type) {
        this.name = name;
        this.type = type;
        this.index = NEXT.getAndIncrement();
    }

    /** A new key; create keys once, as constants. */
    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(name, type);
    }

    public String name() {
        return name;
    }

    int index() {
        return index;
    }

    T cast(Object o) {
        return type.cast(o);
    }

    @Override
    public String toString() {
        return "AttributeKey(" + name + ")";
    }
}
