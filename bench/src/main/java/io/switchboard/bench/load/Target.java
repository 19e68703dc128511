package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Where and how a worker connects: transport (ws, sse, nats), host, port, optional token, pattern template. */
public record Target(String transport, String host, int port, String token, String pattern, int base) {
    public static Target of(JsonNode cfg) {
        return new Target(cfg.path("transport").asText("ws"), cfg.path("host").asText("127.0.0.1"),
                cfg.path("port").asInt(), cfg.hasNonNull("token") ? cfg.get("token").asText() : null,
                cfg.path("pattern").asText("/fan/*"), cfg.path("base").asInt(0));
    }

    /** The pattern for global connection index {@code i}: {@code {i}} is the index, {@code {g:N}} is i / N. */
    public String patternFor(int i) {
        String p = pattern.replace("{i}", Integer.toString(i));
        int g = p.indexOf("{g:");
        if (g >= 0) {
            int end = p.indexOf('}', g);
            int size = Integer.parseInt(p.substring(g + 3, end));
            p = p.substring(0, g) + (i / size) + p.substring(end + 1);
        }
        return p;
    }

    public String ssePath(String pattern) {
        String q = "/api/sse?pattern=" + URLEncoder.encode(pattern, StandardCharsets.UTF_8);
        return token == null ? q : q + "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** NATS subjects use dots: /fan/* becomes fan.* */
    public static String natsSubject(String pattern) {
        String s = pattern.startsWith("/") ? pattern.substring(1) : pattern;
        return s.replace('/', '.').replace("**", ">");
    }
}
