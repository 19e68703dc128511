package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A scenario's result as JSON: environment, parameters, tables, chart series, headline figures and notes. */
public final class Result {
    public final ObjectNode json = Jsons.object();

    public Result(String scenario, Ctx ctx) {
        json.put("scenario", scenario);
        json.put("small", ctx.small());
        json.set("env", Env.describe(ctx));
        json.set("params", Jsons.object());
        json.set("tables", Jsons.array());
        json.set("charts", Jsons.array());
        json.set("headline", Jsons.array());
        json.set("notes", Jsons.array());
    }

    public ObjectNode params() {
        return (ObjectNode) json.get("params");
    }

    public void note(String s) {
        ((ArrayNode) json.get("notes")).add(s);
        System.err.println("note: " + s);
    }

    /** A table; add rows with {@link #row}. */
    public ArrayNode table(String title, String... columns) {
        ObjectNode t = ((ArrayNode) json.get("tables")).addObject();
        t.put("title", title);
        ArrayNode cols = t.putArray("columns");
        for (String c : columns) {
            cols.add(c);
        }
        return t.putArray("rows");
    }

    public static void row(ArrayNode rows, Object... values) {
        ArrayNode r = rows.addArray();
        for (Object v : values) {
            if (v instanceof Number n) {
                double d = n.doubleValue();
                if (Double.isNaN(d)) {
                    r.addNull();
                } else if (n instanceof Integer || n instanceof Long) {
                    r.add(n.longValue());
                } else {
                    r.add(d);
                }
            } else {
                r.add(v == null ? null : v.toString());
            }
        }
        System.err.println("row: " + r);
    }

    /** A line or bar chart: {@code kind} is "line" or "bar". */
    public ObjectNode chart(String title, String xLabel, String yLabel, String kind) {
        ObjectNode c = ((ArrayNode) json.get("charts")).addObject();
        c.put("title", title).put("x", xLabel).put("y", yLabel).put("kind", kind);
        c.putObject("series");
        return c;
    }

    public static void point(ObjectNode chart, String series, Object x, double y) {
        ObjectNode s = (ObjectNode) chart.get("series");
        ArrayNode pts = s.has(series) ? (ArrayNode) s.get(series) : s.putArray(series);
        ArrayNode p = pts.addArray();
        if (x instanceof Number n) {
            p.add(n.doubleValue());
        } else {
            p.add(String.valueOf(x));
        }
        p.add(Double.isNaN(y) ? 0 : y);
    }

    /** A headline figure compared with a target ({@code higherIsBetter} decides "met"); target may be NaN. */
    public void headline(String metric, double value, String unit, double target, boolean higherIsBetter) {
        ObjectNode h = ((ArrayNode) json.get("headline")).addObject();
        h.put("metric", metric).put("value", value).put("unit", unit);
        if (!Double.isNaN(target)) {
            h.put("target", target).put("met", higherIsBetter ? value >= target : value <= target);
        }
    }
}
