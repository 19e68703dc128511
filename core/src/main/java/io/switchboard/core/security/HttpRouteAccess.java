package io.switchboard.core.security;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.path.Paths;

/**
 * The permission check of a custom HTTP route (static files), as happn-3's connect security
 * middleware does it: a request for URL path {@code /x} with method {@code M} needs action
 * {@code lowercase(M)} on {@code /@HTTP/x}, through the same compiled {@link Permissions} as every
 * data op (profiles' narrowing included). {@code HEAD} is also allowed by {@code get}: it shows
 * only the headers of what a GET would send.
 */
final class HttpRouteAccess {
    private HttpRouteAccess() {
    }

    /** FORBIDDEN unless {@code perms} allow {@code method} on {@code urlPath}; BAD_REQUEST for an unknown method or bad path. */
    static void check(Permissions perms, String method, String urlPath) {
        Action verb = method == null ? null : Action.ofHttpMethod(method);
        if (verb == null) {
            throw SwitchboardException.badRequest("method", "is not an HTTP method a permission can grant"
                    + " (get, head, post, put, patch, delete, options)");
        }
        String path = pathOf(urlPath);
        boolean ok = perms.allows(path, verb) || (verb == Action.HEAD && perms.allows(path, Action.GET));
        if (!ok) {
            throw AccessGuard.forbidden();
        }
    }

    /** {@code /app/x.js} → {@code /@HTTP/app/x.js}; the root {@code /} → {@code /@HTTP}. */
    static String pathOf(String urlPath) {
        return Paths.normalize(Action.HTTP_ROOT + "/" + (urlPath == null ? "" : urlPath), "path");
    }
}
