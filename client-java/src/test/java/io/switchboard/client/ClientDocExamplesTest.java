package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.client.ClientSubscription;
import io.switchboard.core.client.InProcessClient;
import io.switchboard.core.client.SwitchboardClient;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.config.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of docs/client-java.md, compiled and run against a real server. Every
 * {@code java} block of that page must appear in this file (lines compared without their
 * indentation), so the page shows only code that compiles and works.
 */
class ClientDocExamplesTest {
    static final Path DOC = Path.of("..", "docs", "client-java.md");

    @TempDir
    Path dir;
    SwitchboardServer server;
    String host = "127.0.0.1";
    int port;
    String adminPassword = "choose-a-password";

    @BeforeEach
    void start() {
        server = SwitchboardServer.start(ServerConfig.defaults().withHost(host).withPort(0)
                .withDataDir(dir.resolve("data")).withAdminPassword(adminPassword));
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyJavaBlockOfThePageIsInThisFile() throws IOException {
        String source = normalize(Files.readString(Path.of("src/test/java/io/switchboard/client/ClientDocExamplesTest.java")));
        List<String> blocks = javaBlocks(Files.readString(DOC));
        assertThat(blocks).as("java blocks in %s", DOC).hasSizeGreaterThanOrEqualTo(5);
        for (String b : blocks) {
            assertThat(source).as("this block of client-java.md is not in ClientDocExamplesTest:%n%s", b).contains(normalize(b));
        }
    }

    private static List<String> javaBlocks(String md) {
        List<String> out = new ArrayList<>();
        String[] lines = md.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().equals("```java")) {
                StringBuilder b = new StringBuilder();
                while (++i < lines.length && !lines[i].startsWith("```")) {
                    b.append(lines[i]).append('\n');
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    private static String normalize(String code) {
        StringBuilder b = new StringBuilder();
        for (String l : code.split("\n")) {
            if (!l.isBlank()) {
                b.append(l.strip()).append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void connectAndEveryOp() throws Exception {
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        // --- connect
        SwitchboardNetworkClient client = SwitchboardNetworkClient.builder()
                .address(host, port)                      // ws://host:port/ws
                .credentials("admin", adminPassword)      // or .token(jwt)
                .build()
                .connect();                               // blocks until the session is up
        BlockingSwitchboardClient db = new BlockingSwitchboardClient(client);
        // --- ops
        db.set("/users/ann", Json.object().put("name", "Ann").put("age", 31));
        db.merge("/users/ann", Json.object().put("age", 32));                 // shallow merge
        Document ann = db.get("/users/ann");                                 // NOT_FOUND if absent
        System.out.println(ann.data() + " version " + ann.meta().version());

        SwitchboardClient.Page page = db.query("/users/*", Json.object().put("limit", 10)
                .put("sort", "-age").set("criteria", Json.parseTrusted("{\"age\":{\"$gt\":30}}")));
        long adults = db.count("/users/*", Json.parseTrusted("{\"age\":{\"$gte\":18}}"));

        ClientSubscription sub = db.subscribe("/news/*", Json.object().put("initial", "snapshot"),
                event -> received.add(event));                              // events in offset order
        db.publish("/news/today", Json.object().put("title", "hi"));
        SwitchboardClient.PublishResult later = db.publish("/news/tomorrow", Json.object().put("title", "soon"),
                Json.object().put("at", System.currentTimeMillis() + 60_000));  // scheduled
        db.cancel(later.id());
        JsonNode history = db.history("/news/*", Json.object().put("limit", 100));
        JsonNode pong = db.request("ping", Json.object());                  // any op by name
        db.unsubscribe(sub);
        long removed = db.remove("/users/*");
        client.close();
        // --- end ops

        assertThat(page.items()).extracting(Document::path).containsExactly("/users/ann");
        assertThat(page.total()).isEqualTo(1);
        assertThat(adults).isEqualTo(1);
        assertThat(ann.data().path("age").asInt()).isEqualTo(32);
        Event e = received.poll(10, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.path()).isEqualTo("/news/today");
        assertThat(later.scheduled()).isTrue();
        assertThat(history.path("events").size()).isGreaterThanOrEqualTo(1);
        assertThat(pong.asText()).isEqualTo("pong");
        assertThat(removed).isEqualTo(1);
    }

    @Test
    void asyncAndErrors() throws Exception {
        try (SwitchboardNetworkClient client = SwitchboardNetworkClient.builder().address(host, port)
                .credentials("admin", adminPassword).build().connect()) {
            // --- async
            CompletableFuture<Document> doc = client.set("/a/b", Json.object().put("x", 1))
                    .thenCompose(written -> client.get(written.path()));
            doc.thenAccept(d -> System.out.println(d.data()));
            // --- errors
            try {
                new BlockingSwitchboardClient(client).get("/no/such/path");
            } catch (SwitchboardException e) {
                if (e.code() == ErrorCode.NOT_FOUND) {
                    System.out.println("absent: " + e.getMessage());
                }
            }
            // --- end errors
            assertThat(doc.get(10, TimeUnit.SECONDS).data().path("x").asInt()).isEqualTo(1);
        }
    }

    @Test
    void resumeFromAnOffset() throws Exception {
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        try (SwitchboardNetworkClient client = SwitchboardNetworkClient.builder().address(host, port)
                .credentials("admin", adminPassword).build().connect()) {
            BlockingSwitchboardClient db = new BlockingSwitchboardClient(client);
            long seen = db.publish("/news/a", Json.object()).offset();
            db.publish("/news/b", Json.object());
            // --- since
            // After a restart of your process: resume after the last offset you processed.
            ClientSubscription sub = db.subscribe("/news/*", Json.object().put("since", seen),
                    event -> received.add(event));
            if (!sub.reply().path("recovered").asBoolean(true)) {
                // the events after `seen` are gone (log pruned, other epoch): reload with a get
            }
            // --- end since
            Event replayed = received.poll(10, TimeUnit.SECONDS);
            assertThat(replayed).isNotNull();
            assertThat(replayed.path()).isEqualTo("/news/b");
        }
    }

    @Test
    void poolWithFailover() throws Exception {
        String primaryHost = host;
        String backupHost = host;
        int backupPort = port;
        // A primary that is down: a port bound by a socket that does not listen refuses connections.
        try (Socket held = new Socket()) {
            held.bind(new InetSocketAddress(host, 0));
            int primaryPort = held.getLocalPort();
            List<JsonNode> notices = new ArrayList<>();
            // --- pool
            SwitchboardNetworkClient client = SwitchboardNetworkClient.builder()
                    .address(primaryHost, primaryPort)
                    .address(backupHost, backupPort)
                    .strategy(AddressStrategy.ORDERED)      // first address first, the next after a failure; or RANDOM
                    .credentials("admin", adminPassword)
                    .connectTimeout(Duration.ofSeconds(20))
                    .requestTimeout(Duration.ofSeconds(10))
                    .backoff(Duration.ofMillis(100), Duration.ofSeconds(5))
                    .onSystem(sys -> notices.add(sys))      // {"sys":"disconnect",...}, {"sys":"token",...}
                    .onRecoveryFailed((subscription, reply) -> System.out.println("missed events on " + subscription.pattern()))
                    .build()
                    .connect();
            System.out.println("connected to " + client.connectedAddress());
            // --- end pool
            try (client) {
                assertThat(client.connectedAddress().port()).isEqualTo(backupPort);
            }
        }
    }

    @Test
    void embeddedServerAndInProcessClient() throws Exception {
        server.close();
        Path dataDir = dir.resolve("embedded");
        int port = 0;                                         // 0: any free port
        // --- embed
        SwitchboardServer server = SwitchboardServer.start(ServerConfig.defaults()
                .withPort(port)
                .withDataDir(dataDir)
                .withAdminPassword(adminPassword));
        System.out.println("listening on " + server.port());
        // The same API without a network hop, through the same pipeline (and permissions):
        InProcessClient local = InProcessClient.connect(server.pipeline(),
                Json.object().put("username", "admin").put("password", adminPassword));
        local.set("/config/site", Json.object().put("title", "Example")).join();
        Document site = local.get("/config/site").join();
        local.close();
        server.close();                                       // stops accepting, drains, closes the store
        // --- end embed
        this.server = SwitchboardServer.start(ServerConfig.defaults().withHost(host).withPort(0).withDataDir(dataDir));
        assertThat(site.data().path("title").asText()).isEqualTo("Example");
    }
}
