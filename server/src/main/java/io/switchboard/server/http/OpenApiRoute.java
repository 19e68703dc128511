package io.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.json.Json;
import io.switchboard.server.ServerContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3.1 description of the HTTP API, kept in the
 * resource {@code openapi.json} beside this class (OpenApiTest holds it to the routes the
 * server serves and to the shapes of real responses). Public, like {@code /health}: it
 * describes the API, not its data.
 */
public final class OpenApiRoute {
    /** Where the description is served. */
    public static final String PATH = "/api/openapi.json";

    private OpenApiRoute() {
    }

    /** The description as shipped, with {@code info.version} set to {@code version}. */
    public static ObjectNode description(String version) {
        try (InputStream in = OpenApiRoute.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the server's resources");
            }
            ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(in);
            ((ObjectNode) doc.get("info")).put("version", version);
            return doc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void register(RouteTable t, ServerContext sc) {
        JsonNode doc = description(sc.version());
        t.add(Route.exact(PATH, x -> {
            if (x.method().equals(HttpMethod.GET)) {
                x.allowQuery();
                x.json(200, doc);
            } else {
                x.notFound();
            }
        }));
    }
}
