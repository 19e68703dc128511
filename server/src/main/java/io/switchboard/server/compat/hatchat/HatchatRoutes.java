package io.switchboard.server.compat.hatchat;

import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.json.Json;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.ApiPaths;
import io.switchboard.server.http.HttpExchange;
import io.switchboard.server.http.Route;
import io.switchboard.server.http.RouteTable;

import java.util.List;

/**
 * The Hatch@ HTTP API under {@code compat.hatchat.prefix} (default {@code /hatchat}): users
 * with RSA keys, channels, invites and long-polled messages, each translated to the native
 * users, channel ops and event log, authenticated by the pipeline from the caller's
 * self-signed token.
 */
public final class HatchatRoutes {
    private final HatchatUsers users;
    private final HatchatChannels channels;
    private final HatchatMessages messages;
    private final String prefix;

    private HatchatRoutes(ServerContext sc, String prefix) {
        HatchatCalls calls = new HatchatCalls(sc);
        this.users = new HatchatUsers(calls);
        this.channels = new HatchatChannels(calls);
        this.messages = new HatchatMessages(calls);
        this.prefix = prefix;
    }

    public static void register(RouteTable t, ServerContext sc) {
        if (!Boolean.TRUE.equals(sc.config().get(io.switchboard.server.config.ConfigKeys.COMPAT_HATCHAT_ENABLED))) {
            return;
        }
        String prefix = (String) sc.config().get(io.switchboard.server.config.ConfigKeys.COMPAT_HATCHAT_PREFIX);
        HatchatRoutes r = new HatchatRoutes(sc, prefix);
        t.add(Route.exact(prefix + "/ping", x -> {
            if (!x.method().equals(HttpMethod.GET)) {
                x.notFound();
                return;
            }
            x.json(200, Json.object().put("pong", 1));
        }));
        t.add(Route.exact(prefix + "/users", x -> {
            if (!x.method().equals(HttpMethod.POST)) {
                x.notFound();
                return;
            }
            r.users.create(x);
        }));
        t.add(Route.prefix(prefix + "/users/", x -> r.one(x, "/users", (ex, id) -> r.users.one(ex, id))));
        t.add(Route.exact(prefix + "/channels", r.channels::root));
        t.add(Route.exact(prefix + "/channels/invite", r.channels::invite));
        t.add(Route.exact(prefix + "/invite", r.channels::invite));
        t.add(Route.prefix(prefix + "/channels/", x -> r.one(x, "/channels", (ex, id) -> r.channels.one(ex, id))));
        t.add(Route.exact(prefix + "/messages", r.messages::handle));
    }

    /** {@code {prefix}{base}/{id}} with exactly one id segment, else 404. */
    private void one(HttpExchange x, String base, java.util.function.BiConsumer<HttpExchange, String> h) {
        List<String> segs = ApiPaths.segments(x.path().substring(prefix.length() + base.length()));
        if (segs.size() != 1) {
            x.notFound();
            return;
        }
        h.accept(x, segs.get(0));
    }
}
