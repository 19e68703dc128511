package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replies are bounded by bytes (limits.maxReplyBytes): a history page ends early with
 * {@code more}, a pattern get or a snapshot over the bound is PAYLOAD_TOO_LARGE naming it, and
 * a large reply to a client that reads is never taken for a slow consumer. Runs in the default
 * test heap (1 GiB) with megabyte documents.
 */
class ReplyBoundsWireTest {
    private static final String MEGA = "x".repeat(1_000_000);

    @TempDir
    Path dir;
    SwitchboardServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void fill(WsClient c, String prefix, int n, String text) {
        for (int i = 0; i < n; i++) {
            c.ok(op("set").put("path", prefix + i).set("data", Json.object().put("s", text)));
        }
    }

    /** Pages through the whole history of {@code pattern}; returns the offsets and the page count. */
    private static List<Long> readAll(WsClient c, String pattern, int[] pages) {
        List<Long> offsets = new ArrayList<>();
        Long since = null;
        while (true) {
            var msg = op("history").put("pattern", pattern).put("limit", 1000);
            if (since != null) {
                msg.put("since", since);
            }
            JsonNode r = c.ok(msg);
            pages[0]++;
            for (JsonNode e : r.get("events")) {
                offsets.add(e.get("offset").asLong());
                since = e.get("offset").asLong();
            }
            if (!r.path("more").asBoolean()) {
                return offsets;
            }
            assertThat(r.get("events").size()).as("a page with more holds events").isPositive();
        }
    }

    @Test
    void historyPagesEndAtTheByteBoundWithMoreAndPageOnWithoutGapsOrDuplicates() {
        server = SwitchboardServer.start(TestServers.config(dir).withMaxReplyBytes(256 * 1024));
        try (WsClient c = WsClient.connected(server.port())) {
            fill(c, "/h/", 40, "y".repeat(20_000));
            fill(c, "/h/", 1, "é".repeat(100_000)); // 200 KB of UTF-8 in 100 k chars: counted as bytes
            int[] pages = {0};
            List<Long> offsets = readAll(c, "/h/**", pages);
            assertThat(offsets).hasSize(41).doesNotHaveDuplicates().isSorted();
            assertThat(pages[0]).isGreaterThanOrEqualTo(5);

            // Count-limited pages say more too.
            JsonNode r = c.ok(op("history").put("pattern", "/h/**").put("limit", 2));
            assertThat(r.get("events").size()).isEqualTo(2);
            assertThat(r.path("more").asBoolean()).isTrue();
            JsonNode last = c.ok(op("history").put("pattern", "/h/**").put("since", offsets.get(39)));
            assertThat(last.get("events").size()).isEqualTo(1);
            assertThat(last.has("more")).isFalse();

            // A get or a snapshot that would not fit is an error naming the limit; the connection stays.
            JsonNode get = c.request(op("get").put("path", "/h/*"));
            assertThat(get.path("error").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(get.path("error").path("message").asText()).contains("limits.maxReplyBytes");
            JsonNode sub = c.request(op("subscribe").put("pattern", "/h/*").put("initial", "snapshot"));
            assertThat(sub.path("error").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(c.ok(op("get").put("path", "/h/*").put("limit", 3)).get("items").size()).isEqualTo(3);
            assertThat(c.ok(op("get").put("path", "/h/*").put("pathsOnly", true)).get("total").asInt()).isEqualTo(40);
        }
    }

    @Test
    void hugeRepliesAreBoundedAndNeverCloseAPromptReaderWhileOthersAreAnswered() {
        // The push bound far below the replies: a reply is not a push piling up.
        server = SwitchboardServer.start(TestServers.config(dir).withMaxOutboundBytes(1 << 20));
        int n = 48;
        try (WsClient writer = WsClient.connected(server.port())) {
            fill(writer, "/big/", n, MEGA);
            // 48 MB of documents: over the 16 MiB default, an error naming it, not a disconnect.
            JsonNode all = writer.request(op("get").put("path", "/big/*"));
            assertThat(all.path("error").path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
            // 10 MB fits the reply bound and is delivered although it is ten times the push bound.
            assertThat(writer.ok(op("get").put("path", "/big/*").put("limit", 10)).get("items").size()).isEqualTo(10);

            // Four clients page through 48 MB of history at once; a fifth is answered meanwhile.
            List<WsClient> readers = new ArrayList<>();
            List<CompletableFuture<List<Long>>> reads = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    WsClient r = WsClient.connected(server.port());
                    readers.add(r);
                    reads.add(CompletableFuture.supplyAsync(() -> readAll(r, "/big/**", new int[1])));
                }
                try (WsClient other = WsClient.connected(server.port())) {
                    for (int i = 0; i < 20; i++) {
                        other.ok(op("set").put("path", "/small/" + i).set("data", Json.object().put("i", i)));
                        assertThat(other.ok(op("get").put("path", "/small/" + i)).path("data").path("i").asInt()).isEqualTo(i);
                    }
                }
                for (CompletableFuture<List<Long>> f : reads) {
                    assertThat(f.join()).hasSize(n).doesNotHaveDuplicates();
                }
            } finally {
                readers.forEach(WsClient::close);
            }
            assertThat(server.slowConsumerCloses()).isZero();
            assertThat(writer.ok(op("ping")).asText()).isEqualTo("pong");
        }
    }
}
