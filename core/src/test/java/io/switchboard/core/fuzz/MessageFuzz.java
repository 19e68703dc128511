package io.switchboard.core.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.switchboard.core.json.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random and mutated native messages for the fuzz suites (the parser here, the live doors in the
 * server module). Every message starts from a valid op message and gets up to four mutations:
 * a field dropped, duplicated or added, a value of the wrong type, deep nesting, huge or
 * non-finite numbers, odd Unicode (lone surrogates, NUL, BOM, bidi marks), odd paths, large
 * arrays, another op name, or the text cut short. Some messages are raw random text.
 * <p>
 * The top-level {@code id} is left alone (the live suites match replies by it); {@link #ID} in
 * a seed is replaced with the id the caller asks for. Nothing uses {@code consistency:
 * acknowledged} or {@code wait}, so no message legitimately waits for seconds.
 */
public final class MessageFuzz {
    /** Placeholder for the request id in the seeds. */
    public static final long ID = 424242;

    /** Valid messages, one or more per op, all under {@code /fuzz}. */
    public static final List<String> SEEDS = List.of(
            "{'id':ID,'op':'connect'}",
            "{'id':ID,'op':'connect','username':'nobody','password':'wrong-password'}",
            "{'id':ID,'op':'ping'}",
            "{'id':ID,'op':'get','path':'/fuzz/a'}",
            "{'id':ID,'op':'get','path':'/fuzz/*','criteria':{'n':{'$gt':1},'s':{'$regex':'^a.*b$'},'l':{'$in':[1,2,3]}},"
                    + "'sort':{'n':-1},'limit':5,'skip':1,'fields':['n','s']}",
            "{'id':ID,'op':'get','path':'/fuzz/**','sort':['n','-s'],'pathsOnly':true}",
            "{'id':ID,'op':'count','path':'/fuzz/**','criteria':{'$or':[{'n':1},{'s':'x'}],'$and':[{'n':{'$exists':true}}]}}",
            "{'id':ID,'op':'set','path':'/fuzz/a','data':{'n':1,'s':'x','l':[1,2],'o':{'p':true}},'merge':true}",
            "{'id':ID,'op':'set','path':'/fuzz/b','data':{'n':2},'ifVersion':1,'meta':{'k':'v'},'consistency':'transactional'}",
            "{'id':ID,'op':'set','path':'/fuzz/c','data':'plain','noPublish':true,'targetSessions':['s1']}",
            "{'id':ID,'op':'remove','path':'/fuzz/b','meta':{'why':'test'}}",
            "{'id':ID,'op':'increment','path':'/fuzz/n','field':'stats.n','by':2,'consistency':'transactional'}",
            "{'id':ID,'op':'increment','path':'/fuzz/n','field':'m','by':-0.5,'meta':{'k':'v'},'targetSessions':['s1']}",
            "{'id':ID,'op':'publish','path':'/fuzz/p','data':{'m':'hi'},'consistency':'deferred'}",
            "{'id':ID,'op':'publish','path':'/fuzz/later','data':1,'at':4102444800000}",
            "{'id':ID,'op':'cancel','eventId':'abc'}",
            "{'id':ID,'op':'subscribe','pattern':'/fuzz/**','events':['set','remove'],'initial':'snapshot','count':3}",
            "{'id':ID,'op':'subscribe','pattern':'/fuzz/*','since':{'epoch':'e','offset':0},'mergeOnly':true}",
            "{'id':ID,'op':'unsubscribe','sub':'s1'}",
            "{'id':ID,'op':'unsubscribe','pattern':'/fuzz/**'}",
            "{'id':ID,'op':'history','pattern':'/fuzz/**','since':0,'limit':10}",
            "{'id':ID,'op':'history','path':'/fuzz/a','sinceTs':0,'untilTs':4102444800000}",
            "{'id':ID,'op':'ack','offset':1}",
            "{'id':ID,'op':'rateLimitStatus','forOp':'set'}");

    private static final List<String> OPS = List.of("connect", "ping", "get", "count", "set", "increment", "remove",
            "publish", "cancel", "subscribe", "unsubscribe", "history", "ack", "rateLimitStatus", "", "SET", "drop", "__proto__",
            "get\u0000", "constructor");

    /** Number literals, written raw into the text: huge, tiny, non-finite, and not JSON at all. */
    private static final List<String> NUMBERS = List.of("1e400", "-1e400", "1e-400", "123456789012345678901234567890",
            "9223372036854775808", "-9223372036854775809", "2147483648", "-0", "0.0000000000000000000001",
            "1E+2147483648", "NaN", "Infinity", "-Infinity", "0x10", "01", "1.", ".5", "+1",
            "3.141592653589793238462643383279502884197169399375105820974944592307816406286");

    /** Strings, written raw (JSON escapes), so lone surrogates reach the server as the client typed them. */
    private static final List<String> ODD_STRINGS = List.of("\"\\ud800\"", "\"\\udfff\"", "\"a\\ud800b\"",
            "\"\\udc00\\ud800\"", "\"\\u0000\"", "\"\\uffff\"", "\"\\ufeff\"", "\"\\u202e\"", "\"\\ud83d\\ude00\"",
            "\"e\\u0301\"", "\"/fuzz/\\ud800x\"", "\"/fuzz/\\u0000\"", "\"\"", "\" \"", "\"\\n\\r\\t\"",
            "\"\\\\\"", "\"%ff%c0%ae\"", "\"\u00e9\u4e2d\u0416\"", "\"\uD83D\uDE00\"");

    private static final List<String> PATHS = List.of("", "/", "//", "/fuzz//a", "/fuzz/../canary/doc", "/fuzz/./a",
            "fuzz", "/fuzz/a/", "/**", "*", "**", "/*", "/fuzz/**/a", "/fuzz/%2e%2e", "/canary/*", "/canary/doc",
            "/fuzz/" + "x".repeat(3000), "/fuzz/" + "a/".repeat(300) + "b", "/_system/users", "/t/other/x",
            "/fuzz/(.*a){12}$", "/fuzz/[a]", "/fuzz/\\", "/fuzz/?x", "/fuzz/a b", "/fuzz/*x*");

    private static final List<String> KEYS = List.of("id", "op", "path", "data", "pattern", "criteria", "sort",
            "limit", "skip", "since", "meta", "events", "$regex", "$where", "__proto__", "constructor", "_meta.modified",
            "", "x".repeat(200), "\u0000", "modifiedBy", "by", "version");

    private MessageFuzz() {
    }

    /** Mutated op messages (some left valid) and random text, with {@code id} as the request id. */
    public static Arbitrary<String> messages(long id) {
        // Some seeds go unchanged, so the engine behind the parser sees valid traffic in between.
        Arbitrary<Integer> count = Arbitraries.frequency(Tuple.of(2, 0), Tuple.of(4, 1), Tuple.of(3, 2), Tuple.of(2, 3),
                Tuple.of(1, 4));
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(SEEDS), Arbitraries.longs(), count)
                .as((seed, rnd, n) -> mutate(seed, id, new Random(rnd), n));
        Arbitrary<String> raw = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> jsonish = Arbitraries.strings().withChars("{}[]\":,0123456789.eE+-truefalsn\\u ")
                .ofMaxLength(120);
        return Arbitraries.frequencyOf(List.of(Tuple.of(14, mutated), Tuple.of(1, raw), Tuple.of(1, jsonish)));
    }

    /** {@code seed} with {@code n} mutations drawn from {@code r}. */
    public static String mutate(String seed, long id, Random r, int n) {
        ObjectNode msg = (ObjectNode) Json.parseTrusted(seed.replace('\'', '"').replace("ID", Long.toString(id)));
        List<String> raw = new ArrayList<>();
        List<Integer> textMutations = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(12);
            switch (kind) {
                case 0 -> dropField(msg, r);
                case 1 -> replaceValue(msg, r, randomValue(r, raw));
                case 2 -> replaceValue(msg, r, rawToken(raw, nest(r, Json.write(valueOf(msg, r)))));
                case 3 -> replaceValue(msg, r, rawToken(raw, pick(r, NUMBERS)));
                case 4 -> replaceValue(msg, r, rawToken(raw, pick(r, ODD_STRINGS)));
                case 5 -> addField(msg, r, raw);
                case 6 -> pathField(msg, r);
                case 7 -> msg.put("op", pick(r, OPS));
                case 8 -> replaceValue(msg, r, bigArray(r));
                case 9 -> oddKey(msg, r, raw);
                default -> textMutations.add(kind); // duplicate a field, or cut the text short
            }
        }
        String text = Json.write(msg);
        // Last first: a later token (deep nesting) may hold an earlier one's placeholder.
        for (int k = raw.size() - 1; k >= 0; k--) {
            text = text.replace("\"" + placeholder(k) + "\"", raw.get(k));
        }
        for (int kind : textMutations) {
            text = kind == 10 ? duplicateField(text, r) : truncate(text, r);
        }
        return text;
    }

    private static String pick(Random r, List<String> list) {
        return list.get(r.nextInt(list.size()));
    }

    private static String placeholder(int k) {
        return "@@raw" + k + "@@";
    }

    private static JsonNode rawToken(List<String> raw, String token) {
        raw.add(token);
        return TextNode.valueOf(placeholder(raw.size() - 1));
    }

    /** A random object node inside {@code msg} (the message itself most often). */
    private static ObjectNode someObject(ObjectNode msg, Random r) {
        List<ObjectNode> objects = new ArrayList<>();
        collect(msg, objects, 0);
        return r.nextInt(3) == 0 ? objects.get(r.nextInt(objects.size())) : msg;
    }

    private static void collect(JsonNode n, List<ObjectNode> out, int depth) {
        if (depth > 20) {
            return;
        }
        if (n instanceof ObjectNode o) {
            out.add(o);
        }
        n.elements().forEachRemaining(c -> collect(c, out, depth + 1));
    }

    /** A field name of {@code o} other than the top-level id; null when there is none. */
    private static String someField(ObjectNode msg, ObjectNode o, Random r) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        if (o == msg) {
            names.remove("id");
        }
        return names.isEmpty() ? null : names.get(r.nextInt(names.size()));
    }

    private static void dropField(ObjectNode msg, Random r) {
        ObjectNode o = someObject(msg, r);
        String f = someField(msg, o, r);
        if (f != null) {
            o.remove(f);
        }
    }

    private static JsonNode valueOf(ObjectNode msg, Random r) {
        ObjectNode o = someObject(msg, r);
        String f = someField(msg, o, r);
        return f == null ? Json.object() : o.get(f).deepCopy();
    }

    private static void replaceValue(ObjectNode msg, Random r, JsonNode value) {
        ObjectNode o = someObject(msg, r);
        String f = someField(msg, o, r);
        o.set(f == null ? "data" : f, value);
    }

    private static void addField(ObjectNode msg, Random r, List<String> raw) {
        someObject(msg, r).set(pick(r, KEYS).equals("id") ? "extra" : pick(r, KEYS), randomValue(r, raw));
    }

    private static void oddKey(ObjectNode msg, Random r, List<String> raw) {
        String key = pick(r, ODD_STRINGS);
        // The key is raw JSON too: put a placeholder key and swap it in after writing.
        raw.add(key);
        String k = placeholder(raw.size() - 1);
        someObject(msg, r).set(k, randomValue(r, raw));
    }

    private static void pathField(ObjectNode msg, Random r) {
        String f = msg.has("pattern") && r.nextBoolean() ? "pattern" : "path";
        msg.put(f, pick(r, PATHS));
    }

    private static JsonNode randomValue(Random r, List<String> raw) {
        return switch (r.nextInt(12)) {
            case 0 -> Json.MAPPER.nullNode();
            case 1 -> Json.MAPPER.getNodeFactory().booleanNode(r.nextBoolean());
            case 2 -> Json.MAPPER.getNodeFactory().numberNode(r.nextInt(2001) - 1000);
            case 3 -> Json.MAPPER.getNodeFactory().numberNode(r.nextLong());
            case 4 -> Json.MAPPER.getNodeFactory().numberNode(r.nextDouble() * 1e6);
            case 5 -> TextNode.valueOf(pick(r, PATHS));
            case 6 -> Json.MAPPER.createArrayNode().add(1).add("x").addNull();
            case 7 -> Json.object().put("$gt", 1).put("$regex", "(a+)+$");
            case 8 -> rawToken(raw, pick(r, NUMBERS));
            case 9 -> rawToken(raw, pick(r, ODD_STRINGS));
            case 10 -> Json.object();
            default -> TextNode.valueOf(Integer.toString(r.nextInt()));
        };
    }

    private static final int[] DEPTHS = {2, 10, 63, 64, 65, 100, 500, 999, 1001, 2000};

    /**
     * {@code inner} (JSON text) under N levels of arrays or objects (or both, alternating), as
     * text: deeper than a JSON writer would go.
     */
    private static String nest(Random r, String inner) {
        int depth = DEPTHS[r.nextInt(DEPTHS.length)];
        int style = r.nextInt(3);
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            boolean array = style == 0 || (style == 2 && i % 2 == 0);
            open.append(array ? "[" : "{\"k\":");
            close.append(array ? "]" : "}");
        }
        return open + inner + close.reverse();
    }

    private static JsonNode bigArray(Random r) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        int n = new int[] {50, 1001}[r.nextInt(2)];
        for (int i = 0; i < n; i++) {
            a.add(i);
        }
        if (r.nextBoolean()) {
            return Json.object().set("$in", a);
        }
        return a;
    }

    /** The text with one field repeated (JSON allows it; which one wins must not matter for safety). */
    private static String duplicateField(String text, Random r) {
        JsonNode n;
        try {
            n = Json.parse(text);
        } catch (Exception e) {
            return text; // raw tokens made it unreadable: leave it as it is
        }
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        it.forEachRemaining(fields::add);
        fields.removeIf(e -> e.getKey().equals("id"));
        if (fields.isEmpty() || !text.endsWith("}")) {
            return text;
        }
        Map.Entry<String, JsonNode> e = fields.get(r.nextInt(fields.size()));
        String again = r.nextBoolean() ? Json.write(e.getValue()) : "{\"other\":1}";
        return text.substring(0, text.length() - 1) + "," + Json.quote(e.getKey()) + ":" + again + "}";
    }

    private static String truncate(String text, Random r) {
        return text.isEmpty() ? text : text.substring(0, r.nextInt(text.length()));
    }
}
