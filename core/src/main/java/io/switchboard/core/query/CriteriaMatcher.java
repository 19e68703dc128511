package io.switchboard.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.switchboard.core.model.Document;

/**
 * Evaluates {@link Criteria} on a document in memory. This class defines the semantics that
 * every store's translation must reproduce:
 * <ul>
 *   <li>a missing field never equals, compares or matches; {@code $ne}/{@code $nin} match it;</li>
 *   <li>numbers compare numerically (1 equals 1.0), strings by code point
 *       ({@link SortOrder#compareText}), and values of different JSON types are never ordered against each other;</li>
 *   <li>when the field holds an array and the operand is not an array, the condition holds if
 *       it holds for any element (mongo's array semantics);</li>
 *   <li>{@code $exists} is true for a present field even if it holds {@code null}.</li>
 * </ul>
 */
public final class CriteriaMatcher {
    private CriteriaMatcher() {
    }

    public static boolean matches(Criteria c, Document doc) {
        if (c instanceof Criteria.All) {
            return true;
        } else if (c instanceof Criteria.And and) {
            return and.parts().stream().allMatch(p -> matches(p, doc));
        } else if (c instanceof Criteria.Or or) {
            return or.parts().stream().anyMatch(p -> matches(p, doc));
        } else if (c instanceof Criteria.Not not) {
            return !matches(not.inner(), doc);
        } else if (c instanceof Criteria.Exists ex) {
            return (resolve(doc, ex.field()) != null) == ex.exists();
        } else if (c instanceof Criteria.Compare cmp) {
            return compare(resolve(doc, cmp.field()), cmp.op(), cmp.value());
        } else if (c instanceof Criteria.In in) {
            return in.negated() != anyEquals(resolve(doc, in.field()), in);
        } else {
            Criteria.Regex re = (Criteria.Regex) c;
            return regex(resolve(doc, re.field()), re);
        }
    }

    /** The value of a dotted field or {@code _meta.*}; null when absent. */
    public static JsonNode resolve(Document doc, String field) {
        if (Criteria.isMetaField(field)) {
            return switch (field) {
                case "_meta.path" -> TextNode.valueOf(doc.path());
                case "_meta.created" -> doc.meta() == null ? null : LongNode.valueOf(doc.meta().created());
                case "_meta.modified" -> doc.meta() == null ? null : LongNode.valueOf(doc.meta().modified());
                case "_meta.version" -> doc.meta() == null ? null : LongNode.valueOf(doc.meta().version());
                default -> null;
            };
        }
        JsonNode n = doc.data();
        for (String part : field.split("\\.")) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(part);
        }
        return n;
    }

    private static boolean anyEquals(JsonNode actual, Criteria.In in) {
        for (JsonNode v : in.values()) {
            if (compare(actual, Criteria.Op.EQ, v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean compare(JsonNode actual, Criteria.Op op, JsonNode operand) {
        if (op == Criteria.Op.NE) {
            return !compare(actual, Criteria.Op.EQ, operand);
        }
        if (actual == null) {
            return false;
        }
        if (actual.isArray() && !operand.isArray()) {
            for (JsonNode el : actual) {
                if (compareOne(el, op, operand)) {
                    return true;
                }
            }
            return false;
        }
        return compareOne(actual, op, operand);
    }

    private static boolean compareOne(JsonNode a, Criteria.Op op, JsonNode b) {
        if (op == Criteria.Op.EQ) {
            return jsonEquals(a, b);
        }
        int cmp;
        if (a.isNumber() && b.isNumber()) {
            cmp = a.decimalValue().compareTo(b.decimalValue());
        } else if (a.isTextual() && b.isTextual()) {
            cmp = SortOrder.compareText(a.asText(), b.asText());
        } else {
            return false;
        }
        return switch (op) {
            case GT -> cmp > 0;
            case GTE -> cmp >= 0;
            case LT -> cmp < 0;
            case LTE -> cmp <= 0;
            default -> false;
        };
    }

    /** Structural equality where numbers compare by value (1 == 1.0). */
    public static boolean jsonEquals(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static boolean regex(JsonNode actual, Criteria.Regex re) {
        if (actual == null) {
            return false;
        }
        com.google.re2j.Pattern p = RegexCache.compile(re.pattern(), re.flags());
        if (actual.isArray()) {
            for (JsonNode el : actual) {
                if (el.isTextual() && p.matcher(el.asText()).find()) {
                    return true;
                }
            }
            return false;
        }
        return actual.isTextual() && p.matcher(actual.asText()).find();
    }
}
