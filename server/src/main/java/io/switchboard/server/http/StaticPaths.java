package io.switchboard.server.http;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Utf8;
import io.switchboard.core.path.Paths;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the raw URL path of a static file request (below the mount prefix) into the file's
 * name segments, refusing everything that could step outside the directory or name another
 * file than it seems to: a {@code .} or {@code ..} segment (also percent-encoded, e.g.
 * {@code %2e%2e}), an encoded {@code /} or {@code \}, a backslash, NUL or another control
 * character (BAD_REQUEST naming {@code path}). A segment starting with {@code .} (a dotfile
 * such as {@code .env} or {@code .git}) is NOT_FOUND: it is never served. Empty segments
 * ({@code //}) collapse, so an absolute path such as {@code //etc/passwd} stays inside.
 */
final class StaticPaths {
    /** The request names a directory (ends with {@code /}, or is the mount itself): its {@code index.html} is served. */
    record Target(List<String> segments, boolean directory) {
        /** The URL path the permission is checked on: the file's path, {@code index.html} for a directory. */
        String servedPath() {
            String p = "/" + String.join("/", segments);
            return directory ? (p.equals("/") ? "" : p) + "/" + StaticFiles.INDEX : p;
        }
    }

    private StaticPaths() {
    }

    /** {@code rest}: the raw path after the prefix, starting with {@code /} (or empty for the mount itself). */
    static Target parse(String rest) {
        List<String> segs = new ArrayList<>();
        int i = 0;
        int n = rest.length();
        while (i < n) {
            int slash = rest.indexOf('/', i);
            int end = slash < 0 ? n : slash;
            if (end > i) {
                segs.add(segment(rest.substring(i, end)));
            }
            i = end + 1;
        }
        boolean dir = rest.isEmpty() || rest.endsWith("/");
        Target t = new Target(List.copyOf(segs), dir);
        if (t.servedPath().length() > Paths.MAX_BYTES - 16) {
            throw SwitchboardException.badRequest("path", "is too long for a static file");
        }
        return t;
    }

    private static String segment(String raw) {
        String s = decode(raw);
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c < 0x20 || c == 0x7f) {
                throw SwitchboardException.badRequest("path", "contains a control character (NUL included)");
            }
            if (c == '/' || c == '\\') {
                throw SwitchboardException.badRequest("path", "must not contain an encoded '/' or a '\\'");
            }
        }
        if (s.equals(".") || s.equals("..")) {
            throw SwitchboardException.badRequest("path", "must not contain '.' or '..' segments");
        }
        if (s.startsWith(".")) {
            throw SwitchboardException.notFound("no file at this path (names starting with '.' are never served)");
        }
        return s;
    }

    /** Strict percent-decoding to UTF-8 ({@code +} stays a plus: this is a path, not a form). */
    private static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        byte[] out = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw SwitchboardException.badRequest("path", "has a malformed percent-escape");
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c == '%') {
                throw SwitchboardException.badRequest("path", "has a malformed percent-escape");
            } else {
                out[n++] = (byte) c;
            }
        }
        return Utf8.decode(ByteBuffer.wrap(out, 0, n), "path");
    }
}
