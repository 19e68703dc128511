package io.switchboard.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.error.SwitchboardException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Turns a mongo-style criteria object into a {@link Criteria} tree, rejecting what it can't run. */
public final class CriteriaParser {
    private static final int MAX_DEPTH = 32;

    private CriteriaParser() {
    }

    /** Parses {@code node}; errors name {@code field} and the offending key inside it. */
    public static Criteria parse(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Criteria.ALL;
        }
        Criteria c = parseObject(node, field, 0);
        QueryLimits.checkTerms(c, field);
        return c;
    }

    private static Criteria parseObject(JsonNode node, String where, int depth) {
        if (depth > MAX_DEPTH) {
            throw SwitchboardException.badRequest(where, "is nested too deeply");
        }
        if (!node.isObject()) {
            throw SwitchboardException.badRequest(where, "must be an object");
        }
        List<Criteria> parts = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String at = where + "." + key;
            switch (key) {
                case "$and", "$or" -> {
                    if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                        throw SwitchboardException.badRequest(at, "must be a non-empty array of criteria");
                    }
                    List<Criteria> sub = new ArrayList<>();
                    int i = 0;
                    for (JsonNode c : e.getValue()) {
                        sub.add(parseObject(c, at + "[" + i++ + "]", depth + 1));
                    }
                    parts.add(key.equals("$and") ? new Criteria.And(sub) : new Criteria.Or(sub));
                }
                case "$not" -> parts.add(new Criteria.Not(parseObject(e.getValue(), at, depth + 1)));
                default -> {
                    if (key.startsWith("$")) {
                        throw SwitchboardException.badRequest(at, "is not a known criteria operator");
                    }
                    parts.add(parseField(checkField(key, at), e.getValue(), at, depth + 1));
                }
            }
        }
        return combine(parts);
    }

    private static String checkField(String key, String at) {
        if (key.isEmpty() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
            throw SwitchboardException.badRequest(at, "is not a valid field name");
        }
        if (Criteria.isMetaField(key) && !Criteria.META_FIELDS.contains(key)) {
            throw SwitchboardException.badRequest(at, "is not a queryable meta field (use one of "
                    + Criteria.META_FIELDS + ")");
        }
        return key;
    }

    private static Criteria parseField(String field, JsonNode cond, String at, int depth) {
        if (!cond.isObject() || cond.isEmpty() || !cond.fieldNames().next().startsWith("$")) {
            return new Criteria.Compare(field, Criteria.Op.EQ, finite(cond, at));
        }
        List<Criteria> parts = new ArrayList<>();
        String regexOptions = cond.has("$options") ? textOf(cond.get("$options"), at + ".$options") : null;
        Iterator<Map.Entry<String, JsonNode>> it = cond.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String op = e.getKey();
            JsonNode v = e.getValue();
            String opAt = at + "." + op;
            switch (op) {
                case "$eq" -> parts.add(new Criteria.Compare(field, Criteria.Op.EQ, finite(v, opAt)));
                case "$ne" -> parts.add(new Criteria.Compare(field, Criteria.Op.NE, finite(v, opAt)));
                case "$gt" -> parts.add(new Criteria.Compare(field, Criteria.Op.GT, scalar(v, opAt)));
                case "$gte" -> parts.add(new Criteria.Compare(field, Criteria.Op.GTE, scalar(v, opAt)));
                case "$lt" -> parts.add(new Criteria.Compare(field, Criteria.Op.LT, scalar(v, opAt)));
                case "$lte" -> parts.add(new Criteria.Compare(field, Criteria.Op.LTE, scalar(v, opAt)));
                case "$in", "$nin" -> {
                    if (!v.isArray()) {
                        throw SwitchboardException.badRequest(opAt, "must be an array");
                    }
                    if (v.size() > QueryLimits.MAX_IN_VALUES) {
                        throw SwitchboardException.badRequest(opAt, "has more than " + QueryLimits.MAX_IN_VALUES
                                + " values (limit of one " + op + " list)");
                    }
                    List<JsonNode> values = new ArrayList<>();
                    int i = 0;
                    for (JsonNode x : v) {
                        values.add(finite(x, opAt + "[" + i++ + "]"));
                    }
                    parts.add(new Criteria.In(field, values, op.equals("$nin")));
                }
                case "$exists" -> {
                    if (!v.isBoolean() && !v.isNumber()) {
                        throw SwitchboardException.badRequest(opAt, "must be a boolean");
                    }
                    parts.add(new Criteria.Exists(field, v.asBoolean()));
                }
                case "$regex" -> parts.add(regex(field, v, regexOptions, opAt));
                case "$options" -> {
                    if (!cond.has("$regex")) {
                        throw SwitchboardException.badRequest(opAt, "is only allowed beside $regex");
                    }
                }
                case "$not" -> parts.add(new Criteria.Not(parseField(field, notOperand(v, opAt), opAt, depth + 1)));
                default -> throw SwitchboardException.badRequest(opAt, "is not a known criteria operator");
            }
        }
        return combine(parts);
    }

    private static JsonNode notOperand(JsonNode v, String at) {
        if (!v.isObject() || v.isEmpty() || !v.fieldNames().next().startsWith("$")) {
            throw SwitchboardException.badRequest(at, "must be an operator object such as {\"$gt\": 1}");
        }
        return v;
    }

    private static Criteria regex(String field, JsonNode v, String options, String at) {
        String pattern;
        String flags = options == null ? "" : options;
        if (v.isTextual()) {
            pattern = v.asText();
        } else if (v.isArray() && v.size() >= 1 && v.size() <= 2 && v.get(0).isTextual()) {
            pattern = v.get(0).asText();
            if (v.size() == 2) {
                flags = textOf(v.get(1), at + "[1]");
            }
        } else {
            throw SwitchboardException.badRequest(at, "must be a string or [pattern, flags]");
        }
        if (!flags.matches("[imsx]*")) {
            throw SwitchboardException.badRequest(at, "has unsupported flags '" + flags + "' (use i, m, s, x)");
        }
        if (pattern.length() > QueryLimits.MAX_REGEX_LENGTH) {
            throw SwitchboardException.badRequest(at, "is longer than " + QueryLimits.MAX_REGEX_LENGTH
                    + " characters (limit of $regex patterns)");
        }
        try {
            RegexCache.compile(pattern, flags);
        } catch (com.google.re2j.PatternSyntaxException ex) {
            throw SwitchboardException.badRequest(at, "is not a valid regular expression (RE2 syntax: "
                    + ex.getDescription() + ")");
        }
        return new Criteria.Regex(field, pattern, flags);
    }

    private static String textOf(JsonNode v, String at) {
        if (!v.isTextual()) {
            throw SwitchboardException.badRequest(at, "must be a string");
        }
        return v.asText();
    }

    private static JsonNode scalar(JsonNode v, String at) {
        if (!(v.isNumber() || v.isTextual() || v.isBoolean())) {
            throw SwitchboardException.badRequest(at, "must be a number, string or boolean");
        }
        return finite(v, at);
    }

    /**
     * Refuses a number too large for a double ({@code 1e400} reads as Infinity): no stored value
     * can equal or order against it, and the store's query plan needs an exact decimal.
     */
    private static JsonNode finite(JsonNode v, String at) {
        if (v.isNumber() && !v.isIntegralNumber() && !Double.isFinite(v.doubleValue())) {
            throw SwitchboardException.badRequest(at, "must be a finite number (this one is out of range)");
        }
        return v;
    }

    private static Criteria combine(List<Criteria> parts) {
        if (parts.isEmpty()) {
            return Criteria.ALL;
        }
        return parts.size() == 1 ? parts.get(0) : new Criteria.And(List.copyOf(parts));
    }
}
