package io.switchboard.core.security;

import java.util.Locale;

/**
 * What a permission allows or prohibits on a pattern (SPEC section 6). Each action is one bit so
 * a compiled rule holds its allowed and prohibited actions in two ints; {@code *} is all bits.
 *
 * <p>The data actions are {@code get, set, remove, publish, subscribe}. Custom HTTP routes (static
 * files) are checked on {@code /@HTTP/<url path>} with the request's lowercase method, as happn-3
 * does: {@code get} is the same action as the data read, and the other HTTP verbs ({@link #HEAD}
 * to {@link #OPTIONS}) are actions of their own that only patterns under {@link #HTTP_ROOT} may
 * grant, so no data op can ever be allowed by one.
 */
public enum Action {
    GET, SET, REMOVE, PUBLISH, SUBSCRIBE,
    HEAD, POST, PUT, PATCH, DELETE, OPTIONS;

    /** Every action ({@code "*"}). */
    public static final int ALL = (1 << values().length) - 1;
    /** Where HTTP routes are checked: the request path {@code /x} is {@code /@HTTP/x}. */
    public static final String HTTP_ROOT = "/@HTTP";
    /** The bits only patterns under {@link #HTTP_ROOT} may hold. */
    static final int HTTP_ONLY = HEAD.bit() | POST.bit() | PUT.bit() | PATCH.bit() | DELETE.bit() | OPTIONS.bit();

    public int bit() {
        return 1 << ordinal();
    }

    /** The wire name: {@code get, set, remove, publish, subscribe, head, post, ...}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The bits of one wire action name; {@code "*"} is every action. Unknown names (HTTP verbs
     * outside {@code /@HTTP}, happn's {@code on}) map to 0 except {@code on} = subscribe, so foreign
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

    /**
     * The bits of an action name on {@code pattern}: as {@link #bitsOf(String)}, plus the HTTP
     * verbs when the pattern lies under {@code /@HTTP} ({@link #isHttpPattern}).
     */
    public static int bitsOf(String name, String pattern) {
        int b = bitsOf(name);
        if (b == 0 && name != null && isHttpPattern(pattern)) {
            Action verb = ofHttpMethod(name);
            return verb == null ? 0 : verb.bit();
        }
        return b;
    }

    /** True for {@code /@HTTP} and the patterns below it, where HTTP verbs are actions. */
    public static boolean isHttpPattern(String pattern) {
        return pattern != null && (pattern.equals(HTTP_ROOT) || pattern.startsWith(HTTP_ROOT + "/"));
    }

    /** The action of an HTTP method ({@code GET}, {@code post}, ...), or null for another method. */
    public static Action ofHttpMethod(String method) {
        return switch (method.toLowerCase(Locale.ROOT)) {
            case "get" -> GET;
            case "head" -> HEAD;
            case "post" -> POST;
            case "put" -> PUT;
            case "patch" -> PATCH;
            case "delete" -> DELETE;
            case "options" -> OPTIONS;
            default -> null;
        };
    }
}
