package io.switchboard.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.engine.Outcome;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Document;
import io.switchboard.core.op.Request;
import io.switchboard.core.pipeline.Call;
import io.switchboard.core.pipeline.Stage;
import io.switchboard.core.store.Increments;
import io.switchboard.core.store.Store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code write} and {@code validate} rules on set, merge, increment, remove and publish
 * (scheduled ones included), before anything is stored or published. A denying write rule is FORBIDDEN, a
 * failing validate rule VALIDATION_FAILED, both naming the rule.
 *
 * <p>{@code data} costs a store read, so it is read only when a rule that applies references
 * it (or, for a merge or an increment, references {@code newData}, which is the stored document
 * merged with the request, or with the sum in place). A set checked against a document it read carries that document's version as its
 * condition, so no other write can slip in between the check and the write; when one did, the
 * check runs again on the new document (a few times, then CONFLICT). A client's own
 * {@code ifVersion} is kept as it is. A remove is decided by write rules only (it leaves no
 * result to validate); a remove by pattern that reaches paths a write rule governs is refused:
 * it could not be checked document by document.
 */
final class WriteChecks {
    /** Checks re-run when another write changed the document between a check and its write. */
    static final int ATTEMPTS = 5;

    private final Store store;
    private final Evaluator eval;

    WriteChecks(Store store, Evaluator eval) {
        this.store = store;
        this.eval = eval;
    }

    CompletableFuture<Outcome> set(RuleSet rules, Call call, Request.Set s, Stage.Next next) {
        AfterWrite after = s.merge() ? doc -> merged(doc == null ? null : doc.data(), s.data()) : null;
        return guarded(rules, call, s.path(), s.merge() ? "merge" : "set", s.data(), after, s.ifVersion() == null,
                version -> call.with(withVersion(s, version)), next, ATTEMPTS);
    }

    /** Like a merge: {@code newData} is the stored document with the sum in place, so it costs a read. */
    CompletableFuture<Outcome> increment(RuleSet rules, Call call, Request.Increment i, Stage.Next next) {
        return guarded(rules, call, i.path(), "increment", null, doc -> Increments.apply(doc, i.field(), i.by()),
                i.ifVersion() == null, version -> call.with(i.withVersion(version)), next, ATTEMPTS);
    }

    CompletableFuture<Outcome> publish(RuleSet rules, Call call, Request.Publish p, Stage.Next next) {
        return guarded(rules, call, p.path(), "publish", p.data(), null, false, v -> call, next, 1);
    }

    CompletableFuture<Outcome> remove(RuleSet rules, Call call, Request.Remove r, Stage.Next next) {
        if (!r.target().isExact()) {
            Rule v = rules.reaching(r.target(), Rule.Kind.WRITE);
            if (v != null) {
                throw new SwitchboardException(ErrorCode.FORBIDDEN, "rule '" + v.name() + "' governs paths this pattern"
                        + " remove reaches; remove those documents by exact path");
            }
            return next.proceed(call);
        }
        return guarded(rules, call, r.target().text(), "remove", null, null, false, v -> call, next, 1);
    }

    private interface Versioned {
        Call call(Long version);
    }

    /** The write's result on top of the stored document (merge, increment); null: the payload itself. */
    private interface AfterWrite {
        JsonNode on(Document stored);
    }

    private CompletableFuture<Outcome> guarded(RuleSet rules, Call call, String path, String op, JsonNode payload,
                                               AfterWrite after, boolean mayGuard, Versioned versioned, Stage.Next next,
                                               int attempts) {
        List<RuleSet.Match> writes = rules.matching(path, Rule.Kind.WRITE);
        // A remove leaves no result to validate: only write rules decide it.
        List<RuleSet.Match> validates = op.equals("remove") ? List.of() : rules.matching(path, Rule.Kind.VALIDATE);
        if (writes.isEmpty() && validates.isEmpty()) {
            return next.proceed(call);
        }
        boolean needData = false;
        for (List<RuleSet.Match> l : List.of(writes, validates)) {
            for (RuleSet.Match m : l) {
                needData |= m.expr().usesData() || (after != null && m.expr().usesNewData());
            }
        }
        Evaluator.Caller caller = eval.caller(call.session());
        if (!needData) {
            check(writes, validates, caller, op, path, null, op.equals("remove") ? null : CelValues.of(payload));
            return next.proceed(call);
        }
        return store.get(path).thenCompose(found -> {
            Document doc = found.orElse(null);
            JsonNode stored = doc == null ? null : doc.data();
            JsonNode result = op.equals("remove") ? null : after != null ? after.on(doc) : payload;
            check(writes, validates, caller, op, path, CelValues.of(stored), result == null ? null : CelValues.of(result));
            if (!mayGuard) {
                return next.proceed(call);
            }
            long version = doc == null ? 0 : doc.meta().version();
            return next.proceed(versioned.call(version)).handle((o, err) -> {
                if (err == null) {
                    return CompletableFuture.completedFuture(o);
                }
                SwitchboardException e = SwitchboardException.of(err);
                if (e.code() == ErrorCode.CONFLICT && attempts > 1) {
                    // Another write landed between the check and this one: check again on it.
                    return guarded(rules, call, path, op, payload, after, true, versioned, next, attempts - 1);
                }
                return CompletableFuture.<Outcome>failedFuture(e);
            }).thenCompose(f -> f);
        });
    }

    private void check(List<RuleSet.Match> writes, List<RuleSet.Match> validates, Evaluator.Caller c, String op,
                       String path, Object data, Object newData) {
        RuleSet.Match w = eval.denying(writes, Rule.Kind.WRITE, c, op, path, data, newData);
        if (w != null) {
            throw new SwitchboardException(ErrorCode.FORBIDDEN, "rule '" + w.rule().name() + "' denies " + op + " at " + path);
        }
        RuleSet.Match v = eval.denying(validates, Rule.Kind.VALIDATE, c, op, path, data, newData);
        if (v != null) {
            throw new SwitchboardException(ErrorCode.VALIDATION_FAILED, "rule '" + v.rule().name() + "' rejects " + op
                    + " at " + path);
        }
    }

    /** The stored document after a merge of {@code patch}: top-level keys replaced, as the store does. */
    static JsonNode merged(JsonNode stored, JsonNode patch) {
        if (stored != null && stored.isObject() && patch != null && patch.isObject()) {
            ObjectNode m = ((ObjectNode) stored).deepCopy();
            m.setAll((ObjectNode) patch);
            return m;
        }
        return patch;
    }

    private static Request.Set withVersion(Request.Set s, Long v) {
        return new Request.Set(s.path(), s.data(), s.merge(), v, s.noPublish(), s.noStore(), s.meta(),
                s.targetSessions(), s.consistency(), s.ackTimeoutMs());
    }
}
