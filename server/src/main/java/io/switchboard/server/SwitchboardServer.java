package io.switchboard.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.switchboard.core.cache.ReadCache;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.store.Store;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.engine.EngineOptions;
import io.switchboard.core.engine.Ids;
import io.switchboard.core.op.InputLimits;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.ratelimit.RateLimitConfig;
import io.switchboard.core.ratelimit.RateLimits;
import io.switchboard.core.rules.Rule;
import io.switchboard.core.rules.RuleCompiler;
import io.switchboard.core.rules.Rules;
import io.switchboard.core.security.SecurityService;
import io.switchboard.core.store.RetentionPolicy;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigKeys;
import io.switchboard.server.config.ServerConfig;
import io.switchboard.server.http.HttpChannelInitializer;
import io.switchboard.server.http.NativeRoutes;
import io.switchboard.server.http.RouteTable;
import io.switchboard.server.metrics.ServerMetrics;
import io.switchboard.server.ratelimit.RateLimitSettings;
import io.switchboard.server.rules.RuleSettings;
import io.switchboard.server.security.SecuritySettings;
import io.switchboard.server.tls.ServerTls;
import io.switchboard.server.transport.ConnectionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A running Switchboard node: the engine over the SQLite store, the pipeline, and one Netty
 * port serving HTTP, WebSocket ({@code /ws}) and SSE (over TLS when {@code http.tls.*} is set).
 * Start with {@link #start(ServerConfig)}, stop with {@link #close()} (graceful).
 */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchboardServer.class);
    /** Longest a graceful close waits for in-flight HTTP requests and closing sockets. */
    /**
     * The insecure-mode warning has a logger of its own, so a test setup that starts hundreds of
     * insecure servers can quiet just this line (see logback-test.xml) and nothing else.
     */
    private static final Logger INSECURE_LOG = LoggerFactory.getLogger("io.switchboard.server.InsecureMode");
    private static final long DRAIN_MS = 5_000;

    private final ServerConfig config;
    private final Engine engine;
    private final SecurityService security;
    private final Pipeline pipeline;
    private final ServerContext context;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    /** The happn door's own listener ({@code compat.happn.port}), or null. */
    private final Channel happnChannel;
    private final RouteTable routes;
    private final int port;
    private volatile boolean closed;

    private SwitchboardServer(ServerConfig config, Engine engine, SecurityService security, Pipeline pipeline,
                              ServerContext context, EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel,
                              Channel happnChannel, RouteTable routes) {
        this.config = config;
        this.engine = engine;
        this.security = security;
        this.pipeline = pipeline;
        this.context = context;
        this.boss = boss;
        this.workers = workers;
        this.serverChannel = serverChannel;
        this.happnChannel = happnChannel;
        this.routes = routes;
        this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /**
     * Opens the store, starts the engine and binds the port.
     *
     * @throws ConfigException when the configuration asks for something this build cannot run
     */
    public static SwitchboardServer start(ServerConfig config) {
        return start(config, b -> { });
    }

    /**
     * Like {@link #start(ServerConfig)}, with {@code stages} adding the embedder's own stages to
     * the pipeline every door goes through (after the built-in stages of each slot).
     */
    public static SwitchboardServer start(ServerConfig config, java.util.function.Consumer<Pipeline.Builder> stages) {
        return start(config, stages, null);
    }

    /**
     * Like {@link #start(ServerConfig, java.util.function.Consumer)} on a {@link Store} the
     * embedder made (null: the one {@code store.type} names). Several nodes of one process can
     * share one log this way, e.g. {@code MemoryStore}s on one {@code MemoryData}.
     */
    public static SwitchboardServer start(ServerConfig config, java.util.function.Consumer<Pipeline.Builder> stages,
                                          Store store) {
        checkSupported(config);
        // Before the store opens: a static directory or cookie name that cannot be honoured stops start-up.
        io.switchboard.server.http.StaticSettings.of(config);
        io.switchboard.server.http.HttpAuth.of(config);
        RateLimitConfig rateLimitConfig = RateLimitSettings.of(config);
        RuleCompiler ruleCompiler = new RuleCompiler();
        List<Rule> configRules = RuleSettings.of(config, ruleCompiler);
        Path dataDir = config.dataDir();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new ConfigException("data.dir: cannot create " + dataDir + ": " + e.getMessage());
        }
        // Before the store opens: a bad certificate stops start-up without touching data.
        ServerTls tls = ServerTls.of(config);
        String nodeId = config.clusterNodeId() != null ? config.clusterNodeId() : Ids.random(8);
        if (store == null && !config.busType().equals("local") && config.storeType().equals("sqlite")) {
            // Nodes on one bus must share one log; an SQLite file belongs to one process.
            throw new ConfigException("bus.type: '" + config.busType() + "' needs a store every node shares"
                    + " (store.type: postgres); the sqlite store belongs to one process");
        }
        Store nodeStore = store != null ? store : StoreFactory.create(config);
        Engine engine = new Engine(nodeStore, BusFactory.create(config, nodeId), nodeId,
                EngineOptions.defaults().withRetention(
                        new RetentionPolicy(config.retentionMaxAgeMs(), config.retentionMaxEvents(), List.of()))
                        .withMaxReplyBytes(config.maxReplyBytes())
                        .withMaxSubscriptions(config.maxSubscriptionsPerConnection(), config.maxSubscriptionsPerUser()));
        try {
            engine.start();
        } catch (SwitchboardException e) {
            // The store or the bus cannot be reached: say which, and do not run half a node.
            try {
                engine.close();
            } catch (RuntimeException ignored) {
                // Already failing; the message below is what matters.
            }
            throw new ConfigException(e.getMessage());
        }
        SecurityService security;
        try {
            security = new SecurityService(engine, SecuritySettings.of(config));
            security.start();
            if (config.securityEnabled()) {
                io.switchboard.server.security.AdminBootstrap.run(security, config);
            } else {
                INSECURE_LOG.warn("security.enabled is false: INSECURE development mode, every client may read and write everything");
            }
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        io.switchboard.core.channel.ChannelService channels;
        try {
            channels = io.switchboard.core.channel.ChannelService.start(engine, security,
                    new io.switchboard.core.channel.ChannelLimits((Integer) config.get(ConfigKeys.CHANNELS_MAX_MEMBERS),
                            (Integer) config.get(ConfigKeys.CHANNELS_MAX_PER_USER),
                            (Integer) config.get(ConfigKeys.CHANNELS_MAX_NAME_LENGTH)));
        } catch (RuntimeException e) {
            security.close();
            engine.close();
            throw e;
        }
        ServerMetrics metrics = new ServerMetrics();
        Rules rules = new Rules(engine, ruleCompiler, configRules, metrics.meters());
        try {
            rules.start();
        } catch (RuntimeException e) {
            security.close();
            engine.close();
            throw e;
        }
        Pipeline.Builder pb = security.install(Pipeline.builder(engine)).limits(new InputLimits(config.maxDepth()))
                .meters(metrics.meters());
        RateLimits rateLimits = new RateLimits(rateLimitConfig, metrics.meters());
        rateLimits.install(pb);
        rateLimits.bindMeters(metrics.meters());
        channels.install(pb);
        rules.install(pb);
        if ((Boolean) config.get(ConfigKeys.CACHE_ENABLED)) {
            ReadCache cache = new ReadCache((Long) config.get(ConfigKeys.CACHE_MAX_ENTRIES));
            cache.install(pb, engine);
            cache.bindMeters(metrics.meters());
        }
        stages.accept(pb);
        Pipeline pipeline = pb.build();
        ConnectionRegistry registry = new ConnectionRegistry();
        ServerContext ctx = new ServerContext(config, pipeline, security, registry, version(), tls);
        metrics.bind(engine, registry);
        ctx.metrics(metrics);
        ctx.rules(rules);
        RouteTable routes = NativeRoutes.table(ctx);

        NettyTransport transport = NettyTransport.best();
        EventLoopGroup boss = transport.group(1);
        EventLoopGroup workers = transport.group(0);
        try {
            Channel ch = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new HttpChannelInitializer(ctx, routes))
                    .bind(config.host(), config.port()).sync().channel();
            Channel happn = bindHappnPort(config, ctx, transport, boss, workers, ch);
            // One sweep for every connection: ticks at half the shorter of heartbeat and keepalive.
            registry.start(workers, Math.max(5, Math.min(config.heartbeatMs(), config.sseKeepaliveMs()) / 2));
            SwitchboardServer s = new SwitchboardServer(config, engine, security, pipeline, ctx, boss, workers, ch, happn, routes);
            LOG.info("Switchboard {} listening on {}://{}:{} ({}), data in {}", ctx.version(), tls != null ? "https" : "http",
                    config.host(), s.port, transport.name(), dataDir.toAbsolutePath().normalize());
            return s;
        } catch (Exception e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (e instanceof ConfigException ce) {
                workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                security.close();
                engine.close();
                throw ce;
            }
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            security.close();
            engine.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
    }

    /**
     * With {@code compat.happn.port} set, the happn door on a port of its own, sharing the main
     * port's event loops, engine and sessions. A port that cannot be bound stops start-up.
     */
    private static Channel bindHappnPort(ServerConfig config, ServerContext ctx, NettyTransport transport,
                                         EventLoopGroup boss, EventLoopGroup workers, Channel main) {
        if (!config.happnEnabled() || config.happnPort() < 0) {
            return null;
        }
        try {
            Channel ch = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new HttpChannelInitializer(ctx, io.switchboard.server.compat.happn.HappnRoutes.ownPort(ctx)))
                    .bind(config.host(), config.happnPort()).sync().channel();
            LOG.info("happn-3 door also on {}:{}", config.host(), ((InetSocketAddress) ch.localAddress()).getPort());
            return ch;
        } catch (Exception e) {
            main.close().syncUninterruptibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new ConfigException(ConfigKeys.COMPAT_HAPPN_PORT + ": cannot listen on " + config.host() + ":"
                    + config.happnPort() + ": " + e.getMessage());
        }
    }

    /** The happn door's own port ({@code compat.happn.port}), or -1 when not set. */
    public int happnPort() {
        return happnChannel == null ? -1 : ((InetSocketAddress) happnChannel.localAddress()).getPort();
    }

    /**
     * Switches of features this build does not have yet: turning one on stops start-up. Whoever
     * builds a feature removes its entry here (and gives the key its real default).
     */
    static final List<String> NOT_BUILT = List.of(
            ConfigKeys.COMPAT_HAPTA_ENABLED);

    /** Settings that validate but that this build cannot honour yet stop start-up, never run ignored. */
    private static void checkSupported(ServerConfig config) {
        for (String key : NOT_BUILT) {
            if (Boolean.TRUE.equals(config.get(key))) {
                throw new ConfigException(key + ": this feature is not available in this build; remove the setting");
            }
        }
        if (Boolean.TRUE.equals(config.get(ConfigKeys.COMPAT_HATCHAT_ENABLED)) && !config.securityEnabled()) {
            throw new ConfigException(ConfigKeys.COMPAT_HATCHAT_ENABLED + ": the Hatch@ adapter needs security.enabled"
                    + " (its requests are signed with registered users' keys)");
        }
    }

    /** The build's version, from the filtered version.properties. */
    public static String version() {
        try (InputStream in = SwitchboardServer.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bound port (the real one when configured with port 0). */
    /** The engine behind every door (for embedders and diagnostics). */
    public Engine engine() {
        return engine;
    }

    /** Every HTTP route the server serves (the OpenAPI test checks them against the description). */
    public RouteTable routes() {
        return routes;
    }

    public int port() {
        return port;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    public ServerConfig config() {
        return config;
    }

    /** The security service (disabled in insecure mode). */
    public SecurityService security() {
        return security;
    }

    /** Connections closed because their outbound queue overflowed. */
    public long slowConsumerCloses() {
        return context.connections().slowConsumerCloses();
    }

    /** Open WebSocket and SSE connections. */
    public int openConnections() {
        return context.connections().size();
    }

    /**
     * Graceful stop: stop accepting, let in-flight HTTP requests finish, close WebSockets with
     * {@code {"sys":"disconnect","reason":"shutdown"}} and close frame 1001, end SSE streams,
     * then close the engine (the store finishes queued writes before closing).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("shutting down");
        serverChannel.close().syncUninterruptibly();
        if (happnChannel != null) {
            happnChannel.close().syncUninterruptibly();
        }
        context.shuttingDown(true);
        long deadline = System.currentTimeMillis() + DRAIN_MS;
        while (context.inFlight().get() > 0 && System.currentTimeMillis() < deadline) {
            sleep();
        }
        context.connections().shutdown();
        while (!context.connections().allClosed() && System.currentTimeMillis() < deadline) {
            sleep();
        }
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        security.close();
        engine.close();
        if (context.metrics() != null) {
            context.metrics().close();
        }
        LOG.info("stopped");
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
