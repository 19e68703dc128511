package io.switchboard.server.compat.happn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.Credentials;
import io.switchboard.core.result.Result;

/** happn's login parameters as Switchboard {@link Credentials}, and the session happn expects back. */
final class HappnLogin {
    /** happn's built-in administrator; Switchboard's is {@code admin} (password from {@code auth.adminPassword}). */
    static final String HAPPN_ADMIN = "_ADMIN";
    /** The cookie happn-3's browser client writes the session token to; read by the static file routes. */
    static final String COOKIE = io.switchboard.server.http.HttpAuth.HAPPN_TOKEN;

    private HappnLogin() {
    }

    static String username(String happnName) {
        return HAPPN_ADMIN.equals(happnName) ? "admin" : happnName;
    }

    static String happnName(String username) {
        return "admin".equals(username) ? HAPPN_ADMIN : username;
    }

    /**
     * {@code {username, password}}, {@code {token}} or the digest login {@code {username,
     * publicKey, digest}} (happn-util-crypto's RSA-SHA256 signature, base64, over the bytes of the
     * nonce {@code nonceOf} gives for that key); anything else logs in anonymously (insecure
     * servers). As in happn-3, a digest login names its user: the key must be one of theirs.
     */
    static Credentials credentials(JsonNode data, java.util.function.UnaryOperator<String> nonceOf) {
        if (data == null || !data.isObject()) {
            return Credentials.NONE;
        }
        String token = text(data, "token");
        if (token != null) {
            return new Credentials.Token(token);
        }
        String user = text(data, "username");
        if (user == null) {
            return Credentials.NONE;
        }
        String digest = text(data, "digest");
        if (digest != null || "digest".equals(text(data, "loginType"))) {
            String key = text(data, "publicKey");
            return new Credentials.SignedNonce(username(user), null, key == null ? null : nonceOf.apply(key), digest, key,
                    Credentials.NonceBytes.BASE64);
        }
        String pw = text(data, "password");
        return new Credentials.Password(username(user), null, pw == null ? "" : pw);
    }

    /** The session object happn's client keeps: id, token, user, type 1 (stateful). */
    static ObjectNode session(Result.Connected c, JsonNode info) {
        ObjectNode o = Json.object();
        o.put("id", c.session());
        if (c.token() != null) {
            o.put("token", c.token());
        }
        ObjectNode user = o.putObject("user");
        if (c.user() != null && c.user().username() != null) {
            user.put("username", happnName(c.user().username()));
            user.put("userid", c.user().userId());
        }
        o.put("type", 1);
        o.put("protocol", HappnEncoder.PROTOCOL);
        // happn-3's login reply says which cookie the browser client writes the token to.
        o.put("cookieName", COOKIE);
        o.set("info", info != null && info.isObject() ? info : Json.object());
        return o;
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || !v.isTextual() ? null : v.asText();
    }
}
