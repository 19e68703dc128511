package io.switchboard.core.session;

import java.util.Arrays;

/**
 * The typed attribute slots of one session or subscription: a copy-on-write array indexed by
 * {@link AttributeKey}, empty (no array) until the first value is set. Reads are a volatile read
 * and an index; writes are rare (once at connect, once per security version).
 */
public final class Attributes {
    private static final Object[] EMPTY = new Object[0];
    private volatile Object[] values = EMPTY;

    public <T> T get(AttributeKey<T> key) {
        Object[] v = values;
        int i = key.index();
        return i < v.length ? key.cast(v[i]) : null;
    }

    public synchronized <T> void set(AttributeKey<T> key, T value) {
        Object[] v = values;
        int i = key.index();
        Object[] copy = Arrays.copyOf(v, Math.max(v.length, i + 1));
        copy[i] = value;
        values = copy;
    }
}
