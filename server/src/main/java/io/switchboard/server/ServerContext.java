package io.switchboard.server;

import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.rules.Rules;
import io.switchboard.core.security.SecurityService;
import io.switchboard.server.config.ServerConfig;
import io.switchboard.server.http.Cors;
import io.switchboard.server.metrics.ServerMetrics;
import io.switchboard.server.tls.ServerTls;
import io.switchboard.server.transport.ConnectionRegistry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every channel handler needs from the running server: the config, the one pipeline into
 * the engine, the security service, the connection registry, and the shutdown state. One instance per server.
 */
public final class ServerContext {
    private final ServerConfig config;
    private final Pipeline pipeline;
    private final SecurityService security;
    private final ConnectionRegistry connections;
    private final String version;
    private final Cors cors;
    private final io.switchboard.server.http.HttpAuth httpAuth;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean shuttingDown;
    private volatile ServerMetrics metrics;
    private volatile Rules rules;
    private final ServerTls tls;

    public ServerContext(ServerConfig config, Pipeline pipeline, SecurityService security, ConnectionRegistry connections,
                         String version) {
        this(config, pipeline, security, connections, version, null);
    }

    /** With {@code tls} (null: plain HTTP) for every accepted connection. */
    public ServerContext(ServerConfig config, Pipeline pipeline, SecurityService security, ConnectionRegistry connections,
                         String version, ServerTls tls) {
        this.tls = tls;
        this.config = config;
        this.pipeline = pipeline;
        this.security = security;
        this.connections = connections;
        this.version = version;
        this.cors = new Cors(config.corsOrigins());
        this.httpAuth = io.switchboard.server.http.HttpAuth.of(config);
    }

    public ServerConfig config() { return config; }
    public Pipeline pipeline() { return pipeline; }

    /** The security service; {@code enabled()} is false in insecure mode. */
    public SecurityService security() { return security; }

    /** True when requests must authenticate (security.enabled). */
    public boolean secure() { return security != null && security.enabled(); }
    public ConnectionRegistry connections() { return connections; }
    public String version() { return version; }

    /** The server's TLS, or null when it serves plain HTTP. */
    public ServerTls tls() { return tls; }

    /** The CORS policy of every HTTP answer and stream. */
    public Cors cors() { return cors; }

    /** Where HTTP requests carry their credentials (header, {@code auth.tokenCookie}, {@code ?token=}). */
    public io.switchboard.server.http.HttpAuth httpAuth() { return httpAuth; }

    /** HTTP requests started and not yet answered; shutdown waits for them. */
    public AtomicInteger inFlight() { return inFlight; }

    public boolean shuttingDown() { return shuttingDown; }

    /** The server's metrics (null when the context was built without them). */
    public ServerMetrics metrics() { return metrics; }

    public void metrics(ServerMetrics m) { metrics = m; }

    /** The node's rules (null when the context was built without them). */
    public Rules rules() { return rules; }

    public void rules(Rules r) { rules = r; }

    void shuttingDown(boolean v) { shuttingDown = v; }
}
