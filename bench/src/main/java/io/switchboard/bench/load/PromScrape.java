package io.switchboard.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Reads a server's {@code GET /metrics} (Prometheus text format) into series → value. */
final class PromScrape {
    private PromScrape() {
    }

    /** Every sample line, keyed by its series with labels as written ({@code name{a="b"}}). */
    static Map<String, Double> scrape(String host, int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IOException("/metrics answered " + res.statusCode());
        }
        Map<String, Double> out = new HashMap<>();
        for (String line : res.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            try {
                out.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
            } catch (NumberFormatException | StringIndexOutOfBoundsException ignored) {
                // not a sample line
            }
        }
        return out;
    }

    /** The sum of every series of metric {@code name}, whatever its labels. */
    static double sum(Map<String, Double> samples, String name) {
        double s = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            if (k.equals(name) || k.startsWith(name + "{")) {
                s += e.getValue();
            }
        }
        return s;
    }
}
