package io.switchboard.core.rules;

import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.security.MatcherRelations;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The rules in force, immutable; a change builds a new set with a higher {@link #version}, so a
 * cached decision knows it is stale. Every rule whose pattern matches a path applies to it, and
 * all of them must allow.
 */
public final class RuleSet {
    /** One rule that applies to a path, with the path's bindings. */
    public record Match(Rule rule, Expr expr, Map<String, String> bindings) { }

    static final RuleSet EMPTY = new RuleSet(List.of(), 0);

    private final List<Rule> rules;
    private final long version;
    private final boolean anyRead;
    private final boolean anyWrite;

    RuleSet(Collection<Rule> rules, long version) {
        this.rules = List.copyOf(rules);
        this.version = version;
        boolean r = false;
        boolean w = false;
        for (Rule x : this.rules) {
            r |= x.read() != null;
            w |= x.write() != null || x.validate() != null;
        }
        this.anyRead = r;
        this.anyWrite = w;
    }

    public List<Rule> rules() {
        return rules;
    }

    public long version() {
        return version;
    }

    public boolean hasReadRules() {
        return anyRead;
    }

    public boolean hasWriteRules() {
        return anyWrite;
    }

    /** The rules with a {@code kind} expression whose pattern matches {@code path}, in order. */
    public List<Match> matching(String path, Rule.Kind kind) {
        List<Match> out = null;
        for (Rule r : rules) {
            Expr e = r.expr(kind);
            if (e == null) {
                continue;
            }
            Map<String, String> b = r.pattern().bind(path);
            if (b != null) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(new Match(r, e, b));
            }
        }
        return out == null ? List.of() : out;
    }

    /** The first rule with a {@code kind} expression some path of {@code target} may fall under, or null. */
    public Rule reaching(PathMatcher target, Rule.Kind kind) {
        for (Rule r : rules) {
            if (r.expr(kind) != null && MatcherRelations.intersects(r.pattern(), target)) {
                return r;
            }
        }
        return null;
    }
}
