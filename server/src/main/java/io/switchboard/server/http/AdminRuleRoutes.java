package io.switchboard.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.json.Json;
import io.switchboard.core.rules.Rules;
import io.switchboard.core.security.SecurityAdmin;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code /api/admin/rules}: list ({@code GET}), read ({@code GET /{name}}), create or replace
 * ({@code PUT /{name}} with {@code {pattern, read?, write?, validate?}}) and delete
 * ({@code DELETE /{name}}) the rules kept under {@code /_system/rules}. A rule that does not
 * compile is 400 with the error's line:column; rules of the configuration are listed but not
 * changed here. Authorized like the rest of the admin API.
 */
final class AdminRuleRoutes {
    static final Set<String> RULE_FIELDS = Set.of("name", "pattern", "read", "write", "validate");

    private AdminRuleRoutes() {
    }

    /** The op for {@code seg} (its first segment is {@code rules}), or null for no such route. */
    static Function<SecurityAdmin, CompletableFuture<Reply>> op(HttpExchange x, List<String> seg, Rules rules) {
        if (rules == null) {
            return null;
        }
        HttpMethod m = x.method();
        x.allowQuery();
        int n = seg.size();
        if (n == 1 && m.equals(HttpMethod.GET)) {
            return a -> {
                ArrayNode items = Json.MAPPER.createArrayNode();
                rules.list().forEach(items::add);
                ObjectNode o = Json.object();
                o.set("items", items);
                o.put("total", items.size());
                return CompletableFuture.completedFuture(Reply.ok(o));
            };
        }
        if (n != 2) {
            return null;
        }
        String name = seg.get(1);
        if (m.equals(HttpMethod.GET)) {
            return a -> CompletableFuture.completedFuture(Reply.ok(rules.get(name)));
        }
        if (m.equals(HttpMethod.PUT)) {
            ObjectNode body = x.bodyObject(RULE_FIELDS);
            return a -> rules.put(name, body).thenApply(Reply::ok);
        }
        if (m.equals(HttpMethod.DELETE)) {
            return a -> rules.delete(name).thenApply(v -> Reply.ok(Json.object().put("deleted", true)));
        }
        return null;
    }
}
