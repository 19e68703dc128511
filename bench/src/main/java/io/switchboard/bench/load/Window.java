package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

import java.util.List;

/** Windows of several workers added up: counts summed, histograms merged (Java: encoded HdrHistogram; Node: µs buckets). */
public record Window(long count, long errors, long sent, long replies, long skipped, long closed, long open,
                     long startNanos, long endNanos, long lastNanos, Histogram hist) {

    public static Window merge(List<JsonNode> ws) {
        Histogram h = new Histogram(Metrics.MAX_NANOS, 2);
        long count = 0, errors = 0, sent = 0, replies = 0, skipped = 0, closed = 0, open = 0;
        long start = Long.MAX_VALUE, end = Long.MIN_VALUE, last = Long.MIN_VALUE;
        for (JsonNode w : ws) {
            count += w.path("count").asLong();
            errors += w.path("errors").asLong();
            sent += w.path("sent").asLong();
            replies += w.path("replies").asLong();
            skipped += w.path("skipped").asLong();
            closed += w.path("closed").asLong();
            open += w.path("open").asLong();
            start = Math.min(start, w.path("startNanos").asLong());
            end = Math.max(end, w.path("endNanos").asLong());
            last = Math.max(last, w.path("lastNanos").asLong());
            if (w.hasNonNull("hist")) {
                h.add(Metrics.decode(w.get("hist").asText()));
            }
            if (w.has("buckets")) {
                w.get("buckets").fields().forEachRemaining(e -> h.recordValueWithCount(
                        Math.min(Metrics.MAX_NANOS, Long.parseLong(e.getKey()) * 1000L), e.getValue().asLong()));
            }
        }
        return new Window(count, errors, sent, replies, skipped, closed, open, start, end, last, h);
    }

    /** Arrivals per second between the window start and the last arrival (or the window end). */
    public double ratePerSecond() {
        long until = lastNanos > startNanos ? lastNanos : endNanos;
        double s = (until - startNanos) / 1e9;
        return s <= 0 ? 0 : count / s;
    }

    public double ms(double percentile) {
        return hist.getTotalCount() == 0 ? Double.NaN : hist.getValueAtPercentile(percentile) / 1e6;
    }

    public ObjectNode latencyJson() {
        ObjectNode o = Jsons.object();
        o.put("samples", hist.getTotalCount());
        o.put("p50_ms", ms(50));
        o.put("p99_ms", ms(99));
        o.put("p999_ms", ms(99.9));
        o.put("max_ms", hist.getTotalCount() == 0 ? Double.NaN : hist.getMaxValue() / 1e6);
        return o;
    }
}
