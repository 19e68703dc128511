package io.switchboard.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.security.SecurityConfig;
import io.switchboard.core.security.SessionProfile;
import io.switchboard.core.session.SessionType;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ServerConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the server's {@code security.*} and {@code auth.*} keys into a core {@link SecurityConfig}:
 * the JWT secret comes from {@code auth.jwtSecret} or from {@code data.dir/jwt-secret}, created on
 * first start (32 random bytes, base64, readable by the owner only) so tokens survive restarts.
 */
public final class SecuritySettings {
    /** The file under {@code data.dir} that keeps the generated signing secret. */
    public static final String SECRET_FILE = "jwt-secret";

    private SecuritySettings() {
    }

    public static SecurityConfig of(ServerConfig c) {
        if (!c.securityEnabled()) {
            return SecurityConfig.insecure();
        }
        byte[] secret = secret(c);
        return new SecurityConfig(true, secret, c.issuer(), c.tokenTtlMs(), c.rollingKeys(), blankToNull(c.adminToken()),
                c.clientTokenMaxTtlMs(), SigningKeys.of(c), issuers(c.issuers(), c.issuer()), profiles(c.profiles()),
                c.sessionSweepMs(), c.minPasswordLength());
    }

    /**
     * {@code auth.issuers}: {@code [{issuer, jwksPath | jwksUrl, audience?}]}. A {@code jwksPath} is
     * read and checked now (only its public keys are kept); a {@code jwksUrl} (http or https) is
     * fetched on first use and kept.
     */
    static List<SecurityConfig.TrustedIssuer> issuers(String json, String ownIssuer) {
        JsonNode root = jsonList(json, "auth.issuers", "{issuer, jwksPath or jwksUrl, audience}");
        if (root == null) {
            return List.of();
        }
        List<SecurityConfig.TrustedIssuer> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        int i = 0;
        for (JsonNode n : root) {
            String at = "auth.issuers[" + i++ + "]";
            if (!n.isObject()) {
                throw new ConfigException(at + ": must be a mapping {issuer, jwksPath or jwksUrl, audience}");
            }
            n.fieldNames().forEachRemaining(f -> {
                if (!List.of("issuer", "jwksPath", "jwksUrl", "audience").contains(f)) {
                    throw new ConfigException(at + ": unknown field '" + f + "'");
                }
            });
            String iss = text(n, "issuer", at);
            String path = text(n, "jwksPath", at);
            String url = text(n, "jwksUrl", at);
            String aud = text(n, "audience", at);
            if (iss == null) {
                throw new ConfigException(at + ".issuer: is required");
            }
            if (iss.equals(ownIssuer)) {
                throw new ConfigException(at + ".issuer: must differ from auth.issuer ('" + ownIssuer + "')");
            }
            if (!seen.add(iss)) {
                throw new ConfigException(at + ".issuer: '" + iss + "' is listed twice");
            }
            if ((path == null) == (url == null)) {
                throw new ConfigException(at + ": give exactly one of jwksPath and jwksUrl");
            }
            String jwks = null;
            if (path != null) {
                jwks = jwks(path, at + ".jwksPath");
            } else {
                try {
                    java.net.URI u = new java.net.URI(url);
                    if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null) {
                        throw new java.net.URISyntaxException(url, "not an http(s) URL");
                    }
                } catch (java.net.URISyntaxException e) {
                    throw new ConfigException(at + ".jwksUrl: must be an http or https URL");
                }
            }
            out.add(new SecurityConfig.TrustedIssuer(iss, jwks, url, aud));
        }
        return out;
    }

    private static String text(JsonNode n, String f, String at) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new ConfigException(at + "." + f + ": must be a non-empty string");
        }
        return v.asText();
    }

    /** Reads a JWK set file and keeps only its public RSA and EC keys. */
    private static String jwks(String path, String at) {
        com.nimbusds.jose.jwk.JWKSet set;
        try {
            set = com.nimbusds.jose.jwk.JWKSet.parse(Files.readString(Path.of(path), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(at + ": cannot read " + path + ": " + e.getMessage());
        } catch (java.text.ParseException e) {
            throw new ConfigException(at + ": " + path + " is not a JWK set: " + e.getMessage());
        }
        com.nimbusds.jose.jwk.JWKSet pub = set.toPublicJWKSet();
        boolean usable = pub.getKeys().stream().anyMatch(k -> k instanceof com.nimbusds.jose.jwk.RSAKey
                || k instanceof com.nimbusds.jose.jwk.ECKey);
        if (!usable) {
            throw new ConfigException(at + ": " + path + " holds no RSA or EC public key");
        }
        return pub.toString(true);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static byte[] secret(ServerConfig c) {
        String configured = blankToNull(c.jwtSecret());
        if (configured != null) {
            byte[] b = configured.getBytes(StandardCharsets.UTF_8);
            if (b.length < 32) {
                throw new ConfigException("auth.jwtSecret: must be at least 32 bytes long");
            }
            return b;
        }
        if (!c.busType().equals("local") && c.signingAlg().equals("HS256")) {
            // A secret generated into data.dir is this node's alone: tokens issued by one node
            // would fail on every other node behind the same load balancer.
            throw new ConfigException("auth.jwtSecret: must be set, the same on every node, when bus.type is "
                    + c.busType() + " (a token issued by one node must verify on the others)");
        }
        Path file = c.dataDir().resolve(SECRET_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] fresh = SecurityConfig.newSecret();
                try {
                    create(file, Base64.getEncoder().encodeToString(fresh));
                    return fresh;
                } catch (FileAlreadyExistsException e) {
                    // another process created it first: use theirs
                }
            }
            byte[] b = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (b.length < 32) {
                throw new ConfigException("auth.jwtSecret: " + file + " holds fewer than 32 bytes");
            }
            return b;
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("auth.jwtSecret: cannot read or create " + file + ": " + e.getMessage());
        }
    }

    /** Creates {@code file} with owner-only permissions from the start (no window where others can read it). */
    private static void create(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Set<PosixFilePermission> ownerOnly = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
        } else {
            Files.createFile(file);
            java.io.File f = file.toFile();
            f.setReadable(false, false);
            f.setReadable(true, true);
            f.setWritable(false, false);
            f.setWritable(true, true);
        }
        Files.writeString(file, content + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * {@code auth.profiles}: {@code [{name, users, groups, type: stateful|stateless, ip: [prefixes],
     * ttlMs, inactivityMs, usageLimit, permissions}]}.
     */
    static List<SessionProfile> profiles(String json) {
        JsonNode root = jsonList(json, "auth.profiles", "profiles");
        if (root == null) {
            return List.of();
        }
        List<SessionProfile> out = new ArrayList<>();
        int i = 0;
        for (JsonNode p : root) {
            String at = "auth.profiles[" + i++ + "]";
            if (!p.isObject()) {
                throw new ConfigException(at + ": must be a mapping");
            }
            p.fieldNames().forEachRemaining(f -> {
                if (!List.of("name", "users", "groups", "type", "ip", "ttlMs", "inactivityMs", "usageLimit", "permissions")
                        .contains(f)) {
                    throw new ConfigException(at + ": unknown field '" + f + "'");
                }
            });
            SessionType type = null;
            if (p.hasNonNull("type")) {
                String t = p.get("type").asText().toLowerCase(Locale.ROOT);
                if (!t.equals("stateful") && !t.equals("stateless")) {
                    throw new ConfigException(at + ".type: must be stateful or stateless");
                }
                type = t.equals("stateful") ? SessionType.STATEFUL : SessionType.STATELESS;
            }
            JsonNode perms = p.get("permissions");
            if (perms != null && !perms.isNull() && !perms.isObject()) {
                throw new ConfigException(at + ".permissions: must be a mapping {pattern: {actions, prohibit}}");
            }
            out.add(new SessionProfile(p.path("name").asText("profile-" + (i - 1)), strings(p.get("users"), at + ".users"),
                    strings(p.get("groups"), at + ".groups"), type, strings(p.get("ip"), at + ".ip"),
                    number(p, "ttlMs", at), number(p, "inactivityMs", at), number(p, "usageLimit", at),
                    perms instanceof ObjectNode o ? o : null));
        }
        return out;
    }

    private static long number(JsonNode p, String f, String at) {
        JsonNode n = p.get(f);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0) {
            return n.asLong();
        }
        if (n.isTextual() && n.asText().matches("\\d{1,18}")) {
            return Long.parseLong(n.asText());
        }
        throw new ConfigException(at + "." + f + ": must be a non-negative integer");
    }

    private static List<String> strings(JsonNode n, String at) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isTextual()) {
            out.add(n.asText());
            return out;
        }
        if (!n.isArray()) {
            throw new ConfigException(at + ": must be a list of strings");
        }
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** Parses a list-valued key given as JSON; null when unset. Errors name {@code key}. */
    private static JsonNode jsonList(String json, String key, String items) {
        if (json == null || json.isBlank()) {
            return null;
        }
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (Exception e) {
            throw new ConfigException(key + ": is not valid JSON");
        }
        if (!root.isArray()) {
            throw new ConfigException(key + ": must be a list of " + items);
        }
        return root;
    }
}
