package io.switchboard.core.rules;

import dev.cel.common.values.NullValue;
import io.switchboard.core.security.SessionAuth;
import io.switchboard.core.session.AttributeKey;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Evaluates the rules that apply to one path for one caller. Fails closed: an evaluation error
 * (a missing field, a type mismatch) denies, is counted, and is logged once per rule version
 * with the rule's name.
 */
final class Evaluator {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

    /** The caller's {@code auth} value, kept per session and rebuilt when its principal changes. */
    private record AuthValue(Principal principal, Object value) { }

    private static final AttributeKey<AuthValue> AUTH = AttributeKey.of("rules-auth", AuthValue.class);

    private final RuleMetrics metrics;
    private final LongSupplier clock;
    private final Map<Expr, Boolean> logged = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    Evaluator(RuleMetrics metrics, LongSupplier clock) {
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Who asks and from where: what every evaluation of one call shares. */
    record Caller(Object auth, Map<String, Object> request) { }

    Caller caller(Session s) {
        Principal p = principalOf(s);
        AuthValue v = s.attr(AUTH);
        if (v == null || v.principal != p) {
            v = new AuthValue(p, authValue(p));
            s.attr(AUTH, v);
        }
        String ip = s.remoteAddress();
        return new Caller(v.value, Map.of("ip", ip == null ? "" : ip));
    }

    /** Who the rules see as the caller: the security identity of {@code s}, else its own principal. */
    static Principal principalOf(Session s) {
        SessionAuth a = SessionAuth.of(s);
        return a != null ? a.principal() : s.principal();
    }

    /** {@code auth}: null for an anonymous caller, else {id, username, groups, scopes, tenant}. */
    static Object authValue(Principal p) {
        if (p == null || (p.userId() == null && p.username() == null)) {
            return NullValue.NULL_VALUE;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.userId() == null ? NullValue.NULL_VALUE : p.userId());
        m.put("username", p.username() == null ? NullValue.NULL_VALUE : p.username());
        m.put("groups", List.copyOf(p.groups()));
        m.put("scopes", List.copyOf(p.scopes()));
        m.put("tenant", p.tenant() == null ? NullValue.NULL_VALUE : p.tenant());
        return m;
    }

    /**
     * The first of {@code matches} that denies, or null when all allow.
     *
     * @param data    the stored document as a CEL value (null value when none or not read)
     * @param newData the write's result as a CEL value
     */
    RuleSet.Match denying(List<RuleSet.Match> matches, Rule.Kind kind, Caller c, String op, String path, Object data,
                          Object newData) {
        for (RuleSet.Match m : matches) {
            if (!allows(m, kind, c, op, path, data, newData)) {
                return m;
            }
        }
        return null;
    }

    boolean allows(RuleSet.Match m, Rule.Kind kind, Caller c, String op, String path, Object data, Object newData) {
        RuleVars vars = new RuleVars(c, op, path, data, newData, m.bindings(), clock);
        boolean ok;
        try {
            ok = m.expr().test(vars);
        } catch (Exception e) {
            metrics.error(m.rule().name());
            if (logged.putIfAbsent(m.expr(), Boolean.TRUE) == null) {
                LOG.warn("rule '{}' ({}) failed to evaluate on {} and denied (rules fail closed; logged once per rule"
                        + " version): {}", m.rule().name(), kind.name().toLowerCase(java.util.Locale.ROOT), path,
                        e.getMessage());
            }
            ok = false;
        }
        if (!ok) {
            metrics.denied(m.rule().name(), kind);
        }
        return ok;
    }

    /** Counts a denial known from before (a remembered decision) as the evaluation would have. */
    void deniedAgain(RuleSet.Match m, Rule.Kind kind) {
        metrics.denied(m.rule().name(), kind);
    }
}
