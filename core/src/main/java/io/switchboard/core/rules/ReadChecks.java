package io.switchboard.core.rules;

import io.switchboard.core.engine.Outcome;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.op.Request;
import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.pipeline.Call;
import io.switchboard.core.pipeline.FilteredReads;
import io.switchboard.core.pipeline.Stage;
import io.switchboard.core.result.Result;
import io.switchboard.core.session.Principal;
import io.switchboard.core.session.Session;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code read} rules on get, count, history and a subscription's snapshot. A get of one path a
 * rule denies is FORBIDDEN naming the rule; a pattern get, count or history leaves out what the
 * rules deny ({@link FilteredReads}, so totals stay truthful); a snapshot is filtered the same
 * way. For reads, {@code data} is the document as stored (for history: the event's data) and
 * {@code newData} is null. The cache sits after this stage, so a cached answer is filtered too.
 */
final class ReadChecks {
    private final Evaluator eval;
    private final FilteredReads reads;
    private final ReadDecisions decisions = new ReadDecisions();

    ReadChecks(Evaluator eval, int maxPage) {
        this.eval = eval;
        this.reads = new FilteredReads(maxPage);
    }

    CompletableFuture<Outcome> read(RuleSet rules, Call call, PathMatcher target, Stage.Next next) {
        // A get of one path goes straight to its (usually remembered) decision: asking first
        // whether any rule reaches it cost as much as the remembered decision itself.
        boolean exactGet = target.isExact() && call.request() instanceof Request.Get;
        if (!exactGet && rules.reaching(target, Rule.Kind.READ) == null) {
            return next.proceed(call);
        }
        String op = call.request().op();
        if (exactGet) {
            Session session = call.session();
            Principal who = Evaluator.principalOf(session);
            return next.proceed(call).thenApply(o -> o.map(res -> exact(rules, session, who, op, res)));
        }
        Evaluator.Caller caller = eval.caller(call.session());
        return reads.run(call, visibility(rules, caller, op, target), next);
    }

    CompletableFuture<Outcome> subscribe(RuleSet rules, Call call, Request.Subscribe s, Stage.Next next) {
        if (rules.reaching(s.pattern(), Rule.Kind.READ) == null) {
            return next.proceed(call);
        }
        Evaluator.Caller caller = eval.caller(call.session());
        return next.proceed(call).thenApply(o -> o.map(res -> res instanceof Result.Subscribed sub
                ? sub.filterItems(d -> visible(rules, caller, "subscribe", d)) : res));
    }

    private Result exact(RuleSet rules, Session session, Principal who, String op, Result res) {
        if (res instanceof Result.DocumentResult d && d.document() != null) {
            RuleSet.Match denied = decide(rules, session, who, op, d.document());
            if (denied != null) {
                throw new SwitchboardException(ErrorCode.FORBIDDEN, "rule '" + denied.rule().name() + "' denies get at "
                        + d.document().path());
            }
            return res;
        }
        if (res instanceof Result.Page p) {
            Evaluator.Caller c = eval.caller(session);
            List<Document> kept = p.items().stream().filter(d -> visible(rules, c, op, d)).toList();
            return new Result.Page(kept, kept.size());
        }
        return res;
    }

    /**
     * The rule denying a get of {@code doc}, or null; remembered for this document instance and
     * caller unless a matching rule reads {@code now} or {@code request}.
     */
    private RuleSet.Match decide(RuleSet rules, Session session, Principal who, String op, Document doc) {
        ReadDecisions.Decision known = decisions.get(doc, rules.version(), who);
        if (known != null) {
            if (known.denied() != null) {
                eval.deniedAgain(known.denied(), Rule.Kind.READ);
            }
            return known.denied();
        }
        List<RuleSet.Match> m = rules.matching(doc.path(), Rule.Kind.READ);
        RuleSet.Match denied = m.isEmpty() ? null : eval.denying(m, Rule.Kind.READ, eval.caller(session), op, doc.path(),
                CelValues.of(doc.data()), null);
        boolean sameEveryTime = true;
        for (RuleSet.Match x : m) {
            sameEveryTime &= !x.expr().usesNow() && !x.expr().usesRequest();
        }
        if (sameEveryTime) {
            decisions.put(doc, rules.version(), who, denied);
        }
        return denied;
    }

    private boolean visible(RuleSet rules, Evaluator.Caller c, String op, Document d) {
        List<RuleSet.Match> m = rules.matching(d.path(), Rule.Kind.READ);
        return m.isEmpty() || eval.denying(m, Rule.Kind.READ, c, op, d.path(), CelValues.of(d.data()), null) == null;
    }

    private FilteredReads.Visibility visibility(RuleSet rules, Evaluator.Caller c, String op, PathMatcher target) {
        boolean needsData = false;
        for (Rule r : rules.rules()) {
            needsData |= r.read() != null && r.read().usesData();
        }
        boolean whole = needsData;
        return new FilteredReads.Visibility() {
            @Override
            public boolean document(Document d) {
                return visible(rules, c, op, d);
            }

            @Override
            public boolean event(Event e) {
                List<RuleSet.Match> m = rules.matching(e.path(), Rule.Kind.READ);
                return m.isEmpty() || eval.denying(m, Rule.Kind.READ, c, op, e.path(), CelValues.of(e.data()), null) == null;
            }

            @Override
            public boolean needsData() {
                return whole;
            }
        };
    }
}
