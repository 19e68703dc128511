package io.switchboard.server.compat.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Reply;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Answers broker requests the way broker's clients read them: the result as JSON with 200, and
 * every failure as {@code {"error": "<message>"}} with the catalogue's HTTP status (the message
 * names the field for bad input, as everywhere in Switchboard).
 */
final class BrokerHttp {
    private BrokerHttp() {
    }

    /** Runs {@code work} (which may also throw at once) and answers with its result or its error. */
    static void respond(HttpExchange x, Supplier<CompletableFuture<? extends JsonNode>> work) {
        CompletableFuture<? extends JsonNode> f;
        try {
            f = work.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        x.respond(f.handle((body, err) -> err == null ? Reply.ok(body) : error(err)));
    }

    /**
     * Answers a request of {@code method} with {@code work}'s result; any other method is
     * NOT_FOUND, and no query parameters are taken.
     */
    static void on(HttpExchange x, io.netty.handler.codec.http.HttpMethod method,
                   Supplier<CompletableFuture<? extends JsonNode>> work) {
        respond(x, () -> {
            if (!x.method().equals(method)) {
                throw notFound(x);
            }
            x.allowQuery();
            return work.get();
        });
    }

    static SwitchboardException notFound(HttpExchange x) {
        return SwitchboardException.notFound("no route for " + x.method() + " " + x.path());
    }

    static Reply error(Throwable err) {
        SwitchboardException e = SwitchboardException.of(err);
        ObjectNode o = Json.object();
        o.put("error", e.getMessage());
        return new Reply(e.code().httpStatus(), o, List.of());
    }

    /** A required non-blank string field. */
    static String text(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw SwitchboardException.badRequest(field, "is required");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw SwitchboardException.badRequest(field, "must be a non-empty string");
        }
        return v.asText();
    }

    /** An optional string field (null when absent or null). */
    static String optionalText(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw SwitchboardException.badRequest(field, "must be a string");
        }
        return v.asText();
    }
}
