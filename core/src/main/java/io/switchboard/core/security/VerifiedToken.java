package io.switchboard.core.security;

import java.util.List;

/**
 * What a verified token says. {@code kind}: issued by this server, by a trusted external issuer,
 * or signed by the user's own registered key. {@code gen} is -1 when the token carries none.
 */
public record VerifiedToken(Kind kind, String userId, String sid, String jti, long gen, List<String> scopes,
                            String tenant, long expiresAt, String raw) {
    public enum Kind { LOCAL, EXTERNAL, CLIENT }
}
