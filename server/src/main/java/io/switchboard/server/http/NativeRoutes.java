package io.switchboard.server.http;

import io.switchboard.server.ServerContext;
import io.switchboard.server.transport.sse.SseStream;
import io.switchboard.server.transport.ws.WsUpgrade;

/** The routes of the native API: WebSocket, SSE, data, auth, admin and status. */
public final class NativeRoutes {
    private NativeRoutes() {
    }

    /** A table with every native route; adapters add theirs to it. */
    public static RouteTable table(ServerContext sc) {
        RouteTable t = new RouteTable();
        WsUpgrade.register(t, sc);
        SseStream.register(t, sc);
        DataRoutes.register(t, sc);
        ChannelRoutes.register(t, sc);
        AuthRoutes.register(t, sc);
        AdminRoutes.register(t, sc);
        StatusRoutes.register(t, sc);
        MetricsRoutes.register(t, sc);
        OpenApiRoute.register(t, sc);
        io.switchboard.server.compat.happn.HappnRoutes.register(t, sc);
        io.switchboard.server.compat.broker.BrokerRoutes.register(t, sc);
        io.switchboard.server.compat.hatchat.HatchatRoutes.register(t, sc);
        StaticRoutes.register(t, sc);
        return t;
    }
}
