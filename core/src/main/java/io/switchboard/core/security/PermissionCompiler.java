package io.switchboard.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.session.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a principal's own permissions, its groups' permissions and its token scopes into one
 * compiled {@link Permissions}. Templates {@code {{user.username}}}, {@code {{user.id}}} and
 * {@code {{tenant}}} are expanded per principal; a rule whose template has no value (a user
 * without tenant) or whose value is not one safe segment is dropped, never widened. A group or
 * user whose {@code pathSyntax} is {@code glob} has its paths compiled as {@link
 * io.switchboard.core.path.GlobPattern}s ({@code *} matches any characters, {@code /} too).
 */
final class PermissionCompiler {
    private static final Logger LOG = LoggerFactory.getLogger(PermissionCompiler.class);

    private PermissionCompiler() {
    }

    static Permissions compile(Principal p, ObjectNode ownPermissions, Function<String, Group> groups) {
        return compile(p, ownPermissions, PathMatcher.Mode.SEGMENT, groups);
    }

    /** As above, the user's own permission paths written in {@code ownSyntax}. */
    static Permissions compile(Principal p, ObjectNode ownPermissions, PathMatcher.Mode ownSyntax,
                               Function<String, Group> groups) {
        if (p.groups().contains(Group.ADMIN)) {
            return Permissions.ALL;
        }
        List<Permissions.Rule> rules = new ArrayList<>();
        addRules(rules, ownPermissions, p, ownSyntax == null ? PathMatcher.Mode.SEGMENT : ownSyntax);
        for (String g : p.groups()) {
            Group group = groups.apply(g);
            if (group != null) {
                addRules(rules, group.permissions(), p, group.pathSyntax());
            }
        }
        for (String scope : p.scopes()) {
            Permissions.Rule r = scopeRule(scope);
            if (r != null) {
                rules.add(r);
            }
        }
        return Permissions.of(rules);
    }

    /** Compiles a bare permission document (session profiles' narrowed permissions). */
    static Permissions compile(ObjectNode permissions, Principal p) {
        List<Permissions.Rule> rules = new ArrayList<>();
        addRules(rules, permissions, p, PathMatcher.Mode.SEGMENT);
        return Permissions.of(rules);
    }

    /** {@code "news:get"} → {@code /news/**} with {@code get}; {@code "a/b:*"} → {@code /a/b/**}, all. */
    static Permissions.Rule scopeRule(String scope) {
        int colon = scope == null ? -1 : scope.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        int bits = Action.bitsOf(scope.substring(colon + 1), "/" + scope.substring(0, colon));
        if (bits == 0) {
            return null;
        }
        try {
            return new Permissions.Rule(Pattern.compile("/" + scope.substring(0, colon) + "/**", "scope"), bits, 0);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@code syntax} says how the paths read: segment patterns, or globs whose {@code *} crosses {@code /}. */
    private static void addRules(List<Permissions.Rule> out, JsonNode perms, Principal p, PathMatcher.Mode syntax) {
        if (perms == null || !perms.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = perms.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String text = expand(e.getKey(), p);
            if (text == null) {
                continue;
            }
            int allow = bits(e.getValue().get("actions"), text);
            int deny = bits(e.getValue().get("prohibit"), text);
            if (allow == 0 && deny == 0) {
                continue;
            }
            try {
                out.add(new Permissions.Rule(PathMatcher.compile(syntax, text, "pattern"), allow, deny));
            } catch (RuntimeException ex) {
                LOG.debug("skipping invalid permission pattern {}", e.getKey());
            }
        }
    }

    /** The bits of an action list on {@code pattern} (HTTP verbs count only under {@code /@HTTP}). */
    private static int bits(JsonNode actions, String pattern) {
        int b = 0;
        if (actions != null && actions.isArray()) {
            for (JsonNode a : actions) {
                b |= Action.bitsOf(a.asText(), pattern);
            }
        }
        return b;
    }

    /** Expands the templates; null when a value is missing or unsafe as a path segment. */
    static String expand(String pattern, Principal p) {
        if (pattern.indexOf("{{") < 0) {
            return pattern;
        }
        String out = pattern;
        String[][] vars = {{"{{user.username}}", p.username()}, {"{{user.id}}", p.userId()}, {"{{tenant}}", p.tenant()}};
        for (String[] v : vars) {
            if (out.contains(v[0])) {
                if (!safeSegment(v[1])) {
                    return null;
                }
                out = out.replace(v[0], v[1]);
            }
        }
        return out.contains("{{") ? null : out;
    }

    private static boolean safeSegment(String v) {
        return v != null && !v.isEmpty() && !v.equals(".") && !v.equals("..")
                && v.indexOf('/') < 0 && v.indexOf('*') < 0 && v.indexOf('{') < 0 && v.indexOf('}') < 0;
    }
}
