package io.switchboard.server.http;

import io.switchboard.core.path.GlobPattern;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigKeys;
import io.switchboard.server.config.ServerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checked {@code http.static.*} settings: the directory (resolved to its real path, so a
 * symlink out of it is recognised), the URL prefix, the access mode and the largest file served.
 * A directory that is missing or unreadable, a bad prefix, or {@code secured} without security
 * stops start-up naming the key.
 *
 * @param root         the real path of {@code http.static.dir}
 * @param prefix       {@code "/"} (every path no other route claims) or a mount such as {@code /app}
 * @param secured      true when each request needs a token and {@code get} on {@code /@HTTP/<path>}
 * @param maxFileBytes the largest file served
 * @param publicPaths  globs ({@code *} any characters, {@code /} included) of paths served without
 *                     a token even when {@code secured} (happn-3's connect {@code exclusions})
 */
public record StaticSettings(Path root, String prefix, boolean secured, long maxFileBytes,
                             java.util.List<GlobPattern> publicPaths) {
    /** The settings, or null when {@code http.static.dir} is unset (no static files). */
    public static StaticSettings of(ServerConfig config) {
        String dir = config.staticDir();
        if (dir == null) {
            return null;
        }
        Path root;
        try {
            root = Path.of(dir).toRealPath();
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(ConfigKeys.HTTP_STATIC_DIR + ": '" + dir + "' is not a directory that exists ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (!Files.isDirectory(root) || !Files.isReadable(root) || !Files.isExecutable(root)) {
            throw new ConfigException(ConfigKeys.HTTP_STATIC_DIR + ": '" + dir + "' is not a readable directory");
        }
        if (config.staticSecured() && !config.securityEnabled()) {
            throw new ConfigException(ConfigKeys.HTTP_STATIC_ACCESS + ": 'secured' needs security.enabled"
                    + " (without security there are no tokens or permissions to check)");
        }
        java.util.List<GlobPattern> open = new java.util.ArrayList<>();
        for (String g : config.staticPublicPaths()) {
            try {
                if (!g.startsWith("/")) {
                    throw new IllegalArgumentException("a URL path starts with /");
                }
                open.add(GlobPattern.compile(g, ConfigKeys.HTTP_STATIC_PUBLIC_PATHS));
            } catch (RuntimeException e) {
                throw new ConfigException(ConfigKeys.HTTP_STATIC_PUBLIC_PATHS + ": '" + g + "' is not a path glob ("
                        + e.getMessage() + ")");
            }
        }
        return new StaticSettings(root, prefix(config.staticPrefix()), config.staticSecured(), config.staticMaxFileBytes(),
                java.util.List.copyOf(open));
    }

    /** {@code /} or {@code /seg[/seg...]} of letters, digits and {@code -._~}; a trailing slash is dropped. */
    private static String prefix(String p) {
        String s = p == null ? "" : p.trim();
        if (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        boolean ok = s.equals("/") || (s.startsWith("/") && s.length() <= 200);
        if (ok && !s.equals("/")) {
            for (String seg : s.substring(1).split("/", -1)) {
                ok &= !seg.isEmpty() && !seg.equals(".") && !seg.equals("..") && seg.chars().allMatch(StaticSettings::plain);
            }
        }
        if (!ok) {
            throw new ConfigException(ConfigKeys.HTTP_STATIC_PREFIX + ": '" + p + "' must be / or a path such as /app"
                    + " (segments of letters, digits and -._~)");
        }
        return s;
    }

    private static boolean plain(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0;
    }

    /** True when {@code urlPath} needs no token (it matches one of {@code http.static.publicPaths}). */
    public boolean isPublic(String urlPath) {
        for (GlobPattern g : publicPaths) {
            if (g.matches(urlPath)) {
                return true;
            }
        }
        return false;
    }

    /** True when the files answer every path no other route claims. */
    public boolean atRoot() {
        return prefix.equals("/");
    }
}
