package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Writes a result as JSON, Markdown and PNG charts (XChart) under the results folder. */
public final class Report {
    private Report() {
    }

    public static Path write(Ctx ctx, Result result) throws IOException {
        System.setProperty("java.awt.headless", "true");
        String scenario = result.json.get("scenario").asText();
        String base = scenario + "-" + ctx.stamp();
        Files.createDirectories(ctx.outDir());
        Files.writeString(ctx.outDir().resolve(base + ".json"), Jsons.pretty(result.json));
        List<String> pngs = new ArrayList<>();
        int i = 0;
        for (JsonNode c : result.json.get("charts")) {
            String png = base + "-" + (++i) + ".png";
            try {
                BitmapEncoder.saveBitmap(chart(c), ctx.outDir().resolve(png).toString(), BitmapEncoder.BitmapFormat.PNG);
                pngs.add(png);
            } catch (RuntimeException | IOException e) {
                System.err.println("chart failed: " + e);
            }
        }
        Path md = ctx.outDir().resolve(base + ".md");
        Files.writeString(md, markdown(result.json, pngs));
        return md;
    }

    static String markdown(JsonNode r, List<String> pngs) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.get("scenario").asText()).append(r.path("small").asBoolean() ? " (small scale)" : "").append("\n\n");
        JsonNode env = r.get("env");
        sb.append("- date: ").append(env.path("date").asText()).append("; cores: ").append(env.path("cores").asInt())
                .append("; load average at start: ").append(env.path("load_average_at_start").asText("?")).append("\n");
        sb.append("- JVM: ").append(env.path("java_version").asText()).append("\n");
        sb.append("- server JVM flags: `").append(env.path("server_jvm_flags").asText()).append("`; workers: `")
                .append(env.path("worker_jvm_flags").asText()).append("`\n");
        sb.append("- parameters: `").append(r.get("params").toString()).append("`\n\n");
        if (r.get("headline").size() > 0) {
            sb.append("| headline | value | target | met |\n|---|---|---|---|\n");
            for (JsonNode h : r.get("headline")) {
                sb.append("| ").append(h.get("metric").asText()).append(" | ").append(fmt(h.get("value"))).append(' ')
                        .append(h.path("unit").asText()).append(" | ").append(h.has("target") ? fmt(h.get("target")) : "")
                        .append(" | ").append(h.has("met") ? (h.get("met").asBoolean() ? "yes" : "no") : "").append(" |\n");
            }
            sb.append('\n');
        }
        for (JsonNode t : r.get("tables")) {
            sb.append("## ").append(t.get("title").asText()).append("\n\n|");
            t.get("columns").forEach(c -> sb.append(' ').append(c.asText()).append(" |"));
            sb.append("\n|");
            t.get("columns").forEach(c -> sb.append("---|"));
            sb.append('\n');
            for (JsonNode row : t.get("rows")) {
                sb.append('|');
                row.forEach(v -> sb.append(' ').append(fmt(v)).append(" |"));
                sb.append('\n');
            }
            sb.append('\n');
        }
        for (String png : pngs) {
            sb.append("![").append(png).append("](").append(png).append(")\n\n");
        }
        if (r.get("notes").size() > 0) {
            sb.append("Notes:\n\n");
            r.get("notes").forEach(n -> sb.append("- ").append(n.asText()).append('\n'));
        }
        return sb.toString();
    }

    public static String fmt(JsonNode v) {
        if (v == null || v.isNull()) {
            return "–";
        }
        if (v.isNumber()) {
            double d = v.asDouble();
            if (v.isIntegralNumber() || (d == Math.rint(d) && Math.abs(d) >= 1000)) {
                return String.format("%,d", v.asLong());
            }
            return Math.abs(d) >= 100 ? String.format("%,.0f", d) : String.format("%.3g", d);
        }
        return v.asText();
    }

    private static Chart<?, ?> chart(JsonNode c) {
        boolean bar = "bar".equals(c.path("kind").asText());
        Iterator<Map.Entry<String, JsonNode>> it = c.get("series").fields();
        if (bar) {
            CategoryChart ch = new CategoryChartBuilder().width(900).height(500).title(c.get("title").asText())
                    .xAxisTitle(c.get("x").asText()).yAxisTitle(c.get("y").asText()).build();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                e.getValue().forEach(p -> {
                    xs.add(p.get(0).asText());
                    ys.add(p.get(1).asDouble());
                });
                ch.addSeries(e.getKey(), xs, ys);
            }
            return ch;
        }
        XYChart ch = new XYChartBuilder().width(900).height(500).title(c.get("title").asText())
                .xAxisTitle(c.get("x").asText()).yAxisTitle(c.get("y").asText()).build();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            e.getValue().forEach(p -> {
                xs.add(p.get(0).asDouble());
                ys.add(p.get(1).asDouble());
            });
            ch.addSeries(e.getKey(), xs, ys);
        }
        return ch;
    }
}
