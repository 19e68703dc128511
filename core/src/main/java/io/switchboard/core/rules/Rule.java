package io.switchboard.core.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.path.Paths;
import io.switchboard.core.path.Pattern;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One named rule: a segment pattern (its {@code {name}} segments bind variables) and up to three
 * compiled expressions — {@code read} (who may see a document or event), {@code write} (who may
 * set, merge, remove or publish) and {@code validate} (what a write's result must look like).
 * A missing expression allows. {@code origin} says where it came from: {@code config} or
 * {@code admin} (a document under {@code /_system/rules}).
 */
public record Rule(String name, Pattern pattern, Expr read, Expr write, Expr validate, String origin, ObjectNode definition) {
    /** What a rule definition may hold. */
    static final Set<String> FIELDS = Set.of("name", "pattern", "read", "write", "validate");
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** The three kinds of check, named as in a definition. */
    public enum Kind { READ, WRITE, VALIDATE }

    /** The expression of {@code kind}, or null when the rule has none. */
    public Expr expr(Kind kind) {
        return switch (kind) {
            case READ -> read;
            case WRITE -> write;
            case VALIDATE -> validate;
        };
    }

    /** Checks a rule name (letters, digits, {@code _ . -}, at most 64). */
    public static String checkName(String name, String field) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw SwitchboardException.badRequest(field, "must be 1 to 64 letters, digits, '_', '.' or '-'");
        }
        return name;
    }

    /**
     * Parses and compiles a definition {@code {pattern, read?, write?, validate?}}; errors name
     * {@code field} (e.g. {@code rules.owner}) and the expression's position.
     */
    public static Rule parse(String name, JsonNode def, String origin, RuleCompiler compiler, String field) {
        checkName(name, field + ".name");
        if (def == null || !def.isObject()) {
            throw SwitchboardException.badRequest(field, "must be an object {pattern, read?, write?, validate?}");
        }
        Iterator<String> names = def.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!FIELDS.contains(f)) {
                throw SwitchboardException.badRequest(field + "." + f, "is not a rule field (pattern, read, write, validate)");
            }
        }
        JsonNode given = def.get("name");
        if (given != null && !(given.isTextual() && given.asText().equals(name))) {
            throw SwitchboardException.badRequest(field + ".name", "must be the rule's name '" + name + "'");
        }
        JsonNode p = def.get("pattern");
        if (p == null || !p.isTextual()) {
            throw SwitchboardException.badRequest(field + ".pattern", "must be a path pattern");
        }
        Pattern pattern = Pattern.compile(p.asText(), field + ".pattern");
        List<String> bindings = bindings(pattern);
        Expr read = expr(def, "read", field, compiler, bindings);
        Expr write = expr(def, "write", field, compiler, bindings);
        Expr validate = expr(def, "validate", field, compiler, bindings);
        if (read == null && write == null && validate == null) {
            throw SwitchboardException.badRequest(field, "needs at least one of read, write, validate");
        }
        ObjectNode copy = Json.object();
        copy.put("name", name);
        copy.put("pattern", pattern.text());
        for (String k : List.of("read", "write", "validate")) {
            if (def.hasNonNull(k)) {
                copy.put(k, def.get(k).asText());
            }
        }
        return new Rule(name, pattern, read, write, validate, origin, copy);
    }

    /** The definition as listed by the admin API, with its origin. */
    public ObjectNode toJson() {
        ObjectNode o = definition.deepCopy();
        o.put("origin", origin);
        return o;
    }

    private static Expr expr(JsonNode def, String key, String field, RuleCompiler c, List<String> bindings) {
        JsonNode n = def.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw SwitchboardException.badRequest(field + "." + key, "must be a CEL expression (a string)");
        }
        return c.compile(field + "." + key, n.asText(), bindings);
    }

    /** The names of the pattern's {@code {name}} segments, each once. */
    static List<String> bindings(Pattern p) {
        List<String> out = new ArrayList<>();
        if (p.matchesEverything()) {
            return out;
        }
        for (String s : Paths.segments(p.text())) {
            if (s.length() > 2 && s.charAt(0) == '{' && s.charAt(s.length() - 1) == '}') {
                String n = s.substring(1, s.length() - 1);
                if (!out.contains(n)) {
                    out.add(n);
                }
            }
        }
        return out;
    }
}
