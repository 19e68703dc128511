package io.switchboard.core.rules;

import io.switchboard.core.model.Event;
import io.switchboard.core.router.DeliveryFilter;
import io.switchboard.core.router.Subscription;
import io.switchboard.core.security.SessionAuth;
import io.switchboard.core.session.AttributeKey;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.Session;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code read} rules on fan-out (WebSocket, SSE, adapters alike): evaluated in memory per
 * delivery, with {@code data} = the event's data, {@code op} = {@code "subscribe"}.
 *
 * <p>What is cached: a rule whose expression references neither {@code data}, {@code newData}
 * nor {@code now} decides the same for the same subscriber and path, so its decision is kept
 * in the subscription's own state — one decision when it does not depend on the path either,
 * else one per path (the last {@link #PER_SUBSCRIPTION} paths). The cache is dropped when the
 * rules change or the subscriber's identity is rebuilt (a permission or group change).
 * Data-dependent rules run per delivery; the event's data is converted once per event and
 * event loop, not once per subscriber.
 */
final class ReadRuleFilter implements DeliveryFilter {
    /** Paths whose decisions one subscription keeps. */
    static final int PER_SUBSCRIPTION = 64;

    private static final AttributeKey<Decisions> DECISIONS = AttributeKey.of("rules-decisions", Decisions.class);

    /** A subscription's cached decisions, valid for one rule set and one principal. */
    private static final class Decisions {
        final long version;
        final Principal principal;
        private final Map<String, Boolean> byKey = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
                return size() > PER_SUBSCRIPTION;
            }
        };

        Decisions(long version, Principal principal) {
            this.version = version;
            this.principal = principal;
        }

        synchronized Boolean get(String key) {
            return byKey.get(key);
        }

        synchronized void put(String key, boolean allowed) {
            byKey.put(key, allowed);
        }
    }

    /** The last event converted on this thread, and its data as a CEL value. */
    private static final ThreadLocal<Object[]> CONVERTED = ThreadLocal.withInitial(() -> new Object[2]);

    private final Supplier<RuleSet> rules;
    private final Evaluator eval;

    ReadRuleFilter(Supplier<RuleSet> rules, Evaluator eval) {
        this.rules = rules;
        this.eval = eval;
    }

    @Override
    public boolean allows(Subscription sub, Event event) {
        RuleSet set = rules.get();
        if (!set.hasReadRules()) {
            return true;
        }
        List<RuleSet.Match> matches = set.matching(event.path(), Rule.Kind.READ);
        if (matches.isEmpty()) {
            return true;
        }
        Session s = sub.session();
        SessionAuth a = SessionAuth.of(s);
        if (a != null && a.isAdmin()) {
            return true;
        }
        Principal p = a != null ? a.principal() : s.principal();
        Decisions d = sub.state(DECISIONS);
        if (d == null || d.version != set.version() || d.principal != p) {
            d = new Decisions(set.version(), p);
            sub.state(DECISIONS, d);
        }
        Evaluator.Caller caller = null;
        for (RuleSet.Match m : matches) {
            boolean ok;
            if (m.expr().cacheable()) {
                String key = m.expr().pathDependent() ? m.rule().name() + '\u0000' + event.path() : m.rule().name();
                Boolean known = d.get(key);
                if (known == null) {
                    caller = caller == null ? eval.caller(s) : caller;
                    known = eval.allows(m, Rule.Kind.READ, caller, "subscribe", event.path(), null, null);
                    d.put(key, known);
                }
                ok = known;
            } else {
                caller = caller == null ? eval.caller(s) : caller;
                ok = eval.allows(m, Rule.Kind.READ, caller, "subscribe", event.path(), data(event), null);
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Object data(Event e) {
        Object[] last = CONVERTED.get();
        if (last[0] != e) {
            last[1] = CelValues.of(e.data());
            last[0] = e;
        }
        return last[1];
    }
}
