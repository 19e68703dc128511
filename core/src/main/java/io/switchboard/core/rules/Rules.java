package io.switchboard.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.metrics.Meters;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.pipeline.Slot;
import io.switchboard.core.query.Query;
import io.switchboard.core.store.WriteOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rules in CEL (see docs/rules.md): those of the configuration, fixed for the node's life, and
 * those the admin API keeps as documents under {@code /_system/rules/{name}}. Every node
 * follows the committed events under that prefix (which the bus carries), so a change applies
 * at the next op on every node, without a restart. Build one per node, {@link #start()} it after
 * the engine, and {@link #install} it into the pipeline.
 */
public final class Rules {
    private static final Logger LOG = LoggerFactory.getLogger(Rules.class);
    /** Where the admin API keeps rules. */
    public static final String ROOT = "/_system/rules/";
    static final String BY = "rules";

    private final Engine engine;
    private final RuleCompiler compiler;
    private final Map<String, Rule> fromConfig;
    private final Map<String, Rule> stored = new TreeMap<>();
    private final AtomicLong versions = new AtomicLong();
    private final Evaluator eval;
    private volatile RuleSet current = RuleSet.EMPTY;

    /** {@code configRules}: already parsed with {@link #parseConfig}. */
    public Rules(Engine engine, RuleCompiler compiler, List<Rule> configRules, Meters meters) {
        this.engine = engine;
        this.compiler = compiler;
        this.fromConfig = new LinkedHashMap<>();
        for (Rule r : configRules) {
            fromConfig.put(r.name(), r);
        }
        this.eval = new Evaluator(new RuleMetrics(meters), engine::now);
        rebuild();
    }

    /**
     * Parses the configuration's list of rules {@code [{name, pattern, read?, write?, validate?}]}.
     *
     * @throws SwitchboardException naming the rule and, for an expression, the error's line:column
     */
    public static List<Rule> parseConfig(JsonNode list, RuleCompiler compiler, String key) {
        List<Rule> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw SwitchboardException.badRequest(key, "must be a list of rules {name, pattern, read?, write?, validate?}");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode def = list.get(i);
            String name = def.isObject() && def.path("name").isTextual() ? def.get("name").asText() : null;
            String field = key + "[" + i + "]" + (name == null ? "" : " (" + name + ")");
            if (name == null) {
                throw SwitchboardException.badRequest(field + ".name", "is required");
            }
            if (!names.add(name)) {
                throw SwitchboardException.badRequest(field + ".name", "is used by two rules");
            }
            out.add(Rule.parse(name, def, "config", compiler, field));
        }
        return out;
    }

    /** Loads the stored rules and follows their changes. */
    public void start() {
        engine.observeCommits(ROOT, this::apply);
        List<Document> docs = engine.store().query(new Query(Pattern.compile(ROOT + "*", "pattern"), null, null, null,
                100_000, 0, false)).join().items();
        synchronized (this) {
            for (Document d : docs) {
                load(d.path().substring(ROOT.length()), d.data());
            }
            rebuild();
        }
    }

    /** Adds the rules stage (RULES slot) and the per-delivery read check. */
    public Pipeline.Builder install(Pipeline.Builder b) {
        engine.addDeliveryFilter(new ReadRuleFilter(this::current, eval));
        return b.add(Slot.RULES, new RulesStage(this::current,
                new WriteChecks(engine.store(), eval), new ReadChecks(eval, engine.options().maxQueryLimit())));
    }

    /** The rules in force now. */
    public RuleSet current() {
        return current;
    }

    // ------------------------------------------------------------------ admin API

    /** Every rule, configuration's first, each with its {@code origin}. */
    public List<ObjectNode> list() {
        return current.rules().stream().map(Rule::toJson).toList();
    }

    public ObjectNode get(String name) {
        for (Rule r : current.rules()) {
            if (r.name().equals(name)) {
                return r.toJson();
            }
        }
        throw SwitchboardException.notFound("no rule named " + name);
    }

    /**
     * Creates or replaces the stored rule {@code name}; compiled first, so a rule that does not
     * compile is refused (BAD_REQUEST with the position) and nothing changes. Completes once it
     * is in force on this node.
     */
    public CompletableFuture<ObjectNode> put(String name, JsonNode def) {
        Rule.checkName(name, "name");
        requireStored(name);
        Rule r = Rule.parse(name, def, "admin", compiler, "rule");
        ObjectNode doc = r.definition().deepCopy();
        doc.remove("name");
        return engine.write(new WriteOp.Set(ROOT + name, doc, false, null, null, BY, false, false, engine.now()))
                .thenApply(x -> r.toJson());
    }

    /** Deletes the stored rule {@code name}; NOT_FOUND when there is none. */
    public CompletableFuture<Void> delete(String name) {
        Rule.checkName(name, "name");
        requireStored(name);
        synchronized (this) {
            if (!stored.containsKey(name)) {
                throw SwitchboardException.notFound("no stored rule named " + name);
            }
        }
        return engine.write(new WriteOp.Remove(Pattern.compile(ROOT + name, "path"), null, BY, false, engine.now()))
                .thenApply(x -> null);
    }

    private void requireStored(String name) {
        if (fromConfig.containsKey(name)) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "rule '" + name
                    + "' is defined in the configuration; change it there");
        }
    }

    // ------------------------------------------------------------------ following changes

    /** A committed change under {@code /_system/rules/}, from any node (dispatch thread). */
    private void apply(Event e) {
        String name = e.path().substring(ROOT.length());
        synchronized (this) {
            if (e.type() == EventType.REMOVE) {
                stored.remove(name);
            } else if (e.type() == EventType.SET || e.type() == EventType.MERGE) {
                load(name, e.data());
            } else {
                return;
            }
            rebuild();
        }
    }

    /**
     * Compiles a stored definition. One that does not compile (written by another version, or
     * around the API) fails closed: its pattern is denied for every kind it names.
     */
    private void load(String name, JsonNode def) {
        if (fromConfig.containsKey(name)) {
            LOG.warn("stored rule '{}' is ignored: the configuration defines a rule of that name", name);
            return;
        }
        try {
            stored.put(name, Rule.parse(name, def, "admin", compiler, "rules." + name));
        } catch (SwitchboardException ex) {
            LOG.error("stored rule '{}' does not compile and denies everything under its pattern: {}", name,
                    ex.getMessage());
            Rule broken = broken(name, def);
            if (broken == null) {
                stored.remove(name);
            } else {
                stored.put(name, broken);
            }
        }
    }

    private Rule broken(String name, JsonNode def) {
        try {
            ObjectNode deny = io.switchboard.core.json.Json.object();
            deny.set("pattern", def.get("pattern"));
            for (String k : List.of("read", "write", "validate")) {
                deny.put(k, "false");
            }
            return Rule.parse(name, deny, "admin (broken)", compiler, "rules." + name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void rebuild() {
        List<Rule> all = new ArrayList<>(fromConfig.values());
        all.addAll(stored.values());
        current = new RuleSet(all, versions.incrementAndGet());
    }
}
