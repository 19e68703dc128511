package io.switchboard.core.security;

import java.util.Locale;

/**
 * What a permission allows or prohibits on a pattern (SPEC section 6). Each action is one bit so
 * a compiled rule holds its allowed and prohibited actions in two ints; {@code *} is all bits.
 */
public enum Action {
    GET, SET, REMOVE, PUBLISH, SUBSCRIBE;

    /** Every action ({@code "*"}). */
    public static final int ALL = (1 << values().length) - 1;

    public int bit() {
        return 1 << ordinal();
    }

    /** The wire name: {@code get, set, remove, publish, subscribe}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The bits of one wire action name; {@code "*"} is every action. Unknown names (HTTP verbs
     * for custom routes, happn's {@code on}) map to 0 except {@code on} = subscribe, so foreign
     * permission documents load without failing.
     */
    public static int bitsOf(String name) {
        if (name == null) {
            return 0;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "*" -> ALL;
            case "get" -> GET.bit();
            case "set" -> SET.bit();
            case "remove" -> REMOVE.bit();
            case "publish" -> PUBLISH.bit();
            case "subscribe", "on" -> SUBSCRIBE.bit();
            default -> 0;
        };
    }
}
