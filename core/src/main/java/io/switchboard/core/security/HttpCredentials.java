package io.switchboard.core.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What an HTTP request offers as credentials (SPEC section 5): {@code Authorization: Bearer} or
 * {@code Basic}, cookie {@code sb_token}, or query {@code ?token=} (for EventSource). The first
 * present one is used, in that order.
 */
public record HttpCredentials(String bearer, String basicUser, String basicPassword, String cookieToken, String queryToken) {
    /** Builds from the raw {@code Authorization} header (may be null), cookie and query values. */
    public static HttpCredentials of(String authorization, String cookieToken, String queryToken) {
        String bearer = null;
        String user = null;
        String pass = null;
        if (authorization != null && authorization.length() <= SecurityConfig.MAX_TOKEN_CHARS * 2) {
            String a = authorization.trim();
            if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
                bearer = a.substring(7).trim();
            } else if (a.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String dec = new String(Base64.getDecoder().decode(a.substring(6).trim()), StandardCharsets.UTF_8);
                    int colon = dec.indexOf(':');
                    if (colon > 0) {
                        user = dec.substring(0, colon);
                        pass = dec.substring(colon + 1);
                    }
                } catch (IllegalArgumentException ignored) {
                    // not base64: no credentials
                }
            }
        }
        return new HttpCredentials(bearer, user, pass, cookieToken, queryToken);
    }

    /** The token offered, if any. */
    public String token() {
        return bearer != null ? bearer : cookieToken != null ? cookieToken : queryToken;
    }
}
