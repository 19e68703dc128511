package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.switchboard.server.WsClient.op;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The channel invite-model matrix over the native WebSocket API (real sockets): for each model
 * (owner, member, self), who may invite, join, read, post, subscribe, see details, update and
 * delete; and what a removed or departed member sees afterwards — nothing, from the very next
 * message on, on a subscription that is still open.
 */
class ChannelMatrixWireTest {
    static final String OK = "OK";
    static final String FORBID = "FORBIDDEN";
    static final List<String> MODELS = List.of("owner", "member", "self");

    @TempDir
    java.nio.file.Path dir;
    SecureWire w;
    final Map<String, WsClient> clients = new HashMap<>();
    final AtomicInteger seq = new AtomicInteger();

    @BeforeEach
    void setUp() {
        w = new SecureWire(dir);
        // A group with a path of its own, but nothing under /_channels: channel access comes from membership.
        w.group("people", "{'/home/{{user.username}}/**': {'actions': ['*']}, '*': {'actions': ['get', 'subscribe']}}");
        for (String u : List.of("olive", "mia", "otto", "nina")) {
            w.user(u, null, List.of("people"), List.of());
        }
    }

    @AfterEach
    void tearDown() {
        clients.values().forEach(WsClient::close);
        w.close();
    }

    WsClient as(String user) {
        return clients.computeIfAbsent(user, u -> w.ws(w.login(u)));
    }

    static String id(String user) {
        return user + "-id";
    }

    /** Sends {@code msg} as {@code user}: OK or the error code. */
    String outcome(String user, ObjectNode msg) {
        JsonNode r = as(user).request(msg);
        return r.path("ok").asBoolean() ? OK : r.get("error").get("code").asText();
    }

    /** A fresh channel of {@code model} owned by olive with mia invited. */
    String channel(String model) {
        String ch = "c" + seq.incrementAndGet() + "-" + model;
        as("olive").ok(op("channelCreate").put("channel", ch).put("inviteModel", model));
        as("olive").ok(op("channelInvite").put("channel", ch).put("user", id("mia")));
        return ch;
    }

    static String messages(String ch) {
        return "/_channels/" + ch + "/messages";
    }

    /** action → expected outcome per model (owner, member, self), each on a fresh channel. */
    static Map<String, List<String>> matrix() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("owner invites nina", List.of(OK, OK, OK));
        m.put("member invites nina", List.of(FORBID, OK, OK));
        m.put("outsider invites nina", List.of(FORBID, FORBID, FORBID));
        m.put("outsider invites self", List.of(FORBID, FORBID, OK));
        m.put("outsider joins", List.of(FORBID, FORBID, OK));
        m.put("member reads", List.of(OK, OK, OK));
        m.put("outsider reads", List.of(FORBID, FORBID, FORBID));
        m.put("member posts", List.of(OK, OK, OK));
        m.put("outsider posts", List.of(FORBID, FORBID, FORBID));
        m.put("member subscribes", List.of(OK, OK, OK));
        m.put("outsider subscribes", List.of(FORBID, FORBID, FORBID));
        m.put("member sees details", List.of(OK, OK, OK));
        m.put("outsider sees details", List.of(FORBID, FORBID, FORBID));
        m.put("member posts to members path", List.of(FORBID, FORBID, FORBID));
        m.put("member updates", List.of(FORBID, FORBID, FORBID));
        m.put("owner updates", List.of(OK, OK, OK));
        m.put("member deletes", List.of(FORBID, FORBID, FORBID));
        m.put("owner deletes", List.of(OK, OK, OK));
        m.put("member removes owner", List.of(FORBID, FORBID, FORBID));
        m.put("owner leaves", List.of("CONFLICT", "CONFLICT", "CONFLICT"));
        m.put("member leaves", List.of(OK, OK, OK));
        m.put("outsider leaves", List.of(FORBID, FORBID, FORBID));
        return m;
    }

    String run(String action, String ch) {
        return switch (action) {
            case "owner invites nina" -> outcome("olive", op("channelInvite").put("channel", ch).put("user", id("nina")));
            case "member invites nina" -> outcome("mia", op("channelInvite").put("channel", ch).put("user", id("nina")));
            case "outsider invites nina" -> outcome("otto", op("channelInvite").put("channel", ch).put("user", id("nina")));
            case "outsider invites self" -> outcome("otto", op("channelInvite").put("channel", ch).put("user", id("otto")));
            case "outsider joins" -> outcome("otto", op("channelJoin").put("channel", ch));
            case "member reads" -> outcome("mia", op("history").put("pattern", messages(ch)));
            case "outsider reads" -> outcome("otto", op("history").put("pattern", messages(ch)));
            case "member posts" -> outcome("mia", op("publish").put("path", messages(ch)).put("data", "hi"));
            case "outsider posts" -> outcome("otto", op("publish").put("path", messages(ch)).put("data", "hi"));
            case "member subscribes" -> outcome("mia", op("subscribe").put("pattern", "/_channels/" + ch + "/**"));
            case "outsider subscribes" -> outcome("otto", op("subscribe").put("pattern", "/_channels/" + ch + "/**"));
            case "member sees details" -> outcome("mia", op("channelGet").put("channel", ch));
            case "outsider sees details" -> outcome("otto", op("channelGet").put("channel", ch));
            case "member posts to members path" -> outcome("mia", op("publish").put("path", "/_channels/" + ch + "/members")
                    .put("data", "fake"));
            case "member updates" -> outcome("mia", op("channelUpdate").put("channel", ch).put("inviteModel", "self"));
            case "owner updates" -> outcome("olive", op("channelUpdate").put("channel", ch).put("name", "renamed"));
            case "member deletes" -> outcome("mia", op("channelDelete").put("channel", ch));
            case "owner deletes" -> outcome("olive", op("channelDelete").put("channel", ch));
            case "member removes owner" -> outcome("mia", op("channelRemove").put("channel", ch).put("user", id("olive")));
            case "owner leaves" -> outcome("olive", op("channelLeave").put("channel", ch));
            case "member leaves" -> outcome("mia", op("channelLeave").put("channel", ch));
            case "outsider leaves" -> outcome("otto", op("channelLeave").put("channel", ch));
            default -> throw new IllegalArgumentException(action);
        };
    }

    @Test
    void inviteModelMatrix() {
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, List<String>> row : matrix().entrySet()) {
            for (int i = 0; i < MODELS.size(); i++) {
                String ch = channel(MODELS.get(i));
                String got = run(row.getKey(), ch);
                if (!row.getValue().get(i).equals(got)) {
                    mismatches.add(MODELS.get(i) + ": " + row.getKey() + " expected " + row.getValue().get(i) + " got " + got);
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void detailsListAndMembershipEvents() {
        String ch = "details";
        WsClient olive = as("olive");
        JsonNode created = olive.ok(op("channelCreate").put("channel", ch).put("name", "Details").put("inviteModel", "member"));
        assertThat(created.get("owner").asText()).isEqualTo(id("olive"));
        assertThat(created.get("inviteModel").asText()).isEqualTo("member");
        olive.ok(op("subscribe").put("pattern", "/_channels/" + ch + "/members"));
        JsonNode inv = olive.ok(op("channelInvite").put("channel", ch).put("user", id("mia")));
        assertThat(inv.get("changed").asBoolean()).isTrue();
        JsonNode ev = olive.nextPush().get("event");
        assertThat(ev.get("data").get("change").asText()).isEqualTo("invited");
        assertThat(ev.get("data").get("user").asText()).isEqualTo(id("mia"));
        // idempotent: a second invite changes nothing and publishes nothing
        assertThat(as("mia").ok(op("channelInvite").put("channel", ch).put("user", id("mia"))).get("changed").asBoolean())
                .isFalse();
        as("mia").ok(op("channelInvite").put("channel", ch).put("user", id("nina")));
        assertThat(olive.nextPush().get("event").get("data").get("user").asText()).isEqualTo(id("nina"));

        JsonNode details = as("nina").ok(op("channelGet").put("channel", ch));
        assertThat(details.get("name").asText()).isEqualTo("Details");
        List<String> names = new ArrayList<>();
        details.get("members").forEach(m -> names.add(m.get("username").asText()));
        assertThat(names).containsExactly("olive", "mia", "nina");
        JsonNode list = as("mia").ok(op("channelList"));
        assertThat(list.get("channels")).hasSize(1);
        assertThat(list.get("channels").get(0).get("channel").asText()).isEqualTo(ch);
        assertThat(list.get("channels").get(0).has("members")).isFalse();
        assertThat(as("otto").ok(op("channelList")).get("channels")).isEmpty();

        assertThat(outcome("otto", op("channelGet").put("channel", "nope"))).isEqualTo("NOT_FOUND");
        assertThat(outcome("olive", op("channelInvite").put("channel", ch).put("user", "ghost"))).isEqualTo("NOT_FOUND");
        assertThat(outcome("olive", op("channelCreate").put("channel", ch))).isEqualTo("CONFLICT");
        // a deleted channel's id is not reused (its messages may still be in the log)
        olive.ok(op("channelDelete").put("channel", ch));
        assertThat(outcome("olive", op("channelGet").put("channel", ch))).isEqualTo("NOT_FOUND");
        assertThat(outcome("olive", op("channelCreate").put("channel", ch))).isEqualTo("CONFLICT");
        assertThat(as("mia").ok(op("channelList")).get("channels")).isEmpty();
    }

    @Test
    void removedMemberSeesNothingMoreAtOnce() {
        for (String model : MODELS) {
            removedOrLeft(model, true);
            removedOrLeft(model, false);
        }
    }

    private void removedOrLeft(String model, boolean removed) {
        String ch = channel(model);
        String lobby = channel("self");
        WsClient olive = as("olive");
        WsClient mia = as("mia");
        mia.clearInbox();
        mia.ok(op("subscribe").put("pattern", "/_channels/" + ch + "/**"));
        mia.ok(op("subscribe").put("pattern", messages(lobby)));
        olive.ok(op("publish").put("path", messages(ch)).put("data", "before"));
        assertThat(mia.nextPush().get("event").get("data").asText()).isEqualTo("before");

        if (removed) {
            JsonNode r = olive.ok(op("channelRemove").put("channel", ch).put("user", id("mia")));
            assertThat(r.get("change").asText()).isEqualTo("removed");
        } else {
            mia.ok(op("channelLeave").put("channel", ch));
        }
        // The very next message on the channel is not delivered to the still-open subscription:
        // the lobby message published after it is the next push mia gets (pushes arrive in log order).
        olive.ok(op("publish").put("path", messages(ch)).put("data", "after"));
        olive.ok(op("publish").put("path", messages(lobby)).put("data", "marker"));
        JsonNode next = mia.nextPush().get("event");
        assertThat(next.get("path").asText()).as(model + (removed ? " removed" : " left")).isEqualTo(messages(lobby));
        assertThat(next.get("data").asText()).isEqualTo("marker");

        assertThat(outcome("mia", op("history").put("pattern", messages(ch)))).isEqualTo(FORBID);
        assertThat(outcome("mia", op("publish").put("path", messages(ch)).put("data", "x"))).isEqualTo(FORBID);
        assertThat(outcome("mia", op("subscribe").put("pattern", "/_channels/" + ch + "/**"))).isEqualTo(FORBID);
        assertThat(outcome("mia", op("channelGet").put("channel", ch))).isEqualTo(FORBID);
        assertThat(outcome("mia", op("get").put("path", "/**")).equals(OK)).isTrue();
        for (JsonNode c : mia.ok(op("channelList")).get("channels")) {
            assertThat(c.get("channel").asText()).isNotEqualTo(ch);
        }
        // the owner still reads the whole conversation
        JsonNode hist = olive.ok(op("history").put("pattern", messages(ch)));
        assertThat(hist.get("events")).hasSize(2);
    }

    @Test
    void aLongPollOfARemovedMemberReturnsNothingMore() {
        String ch = channel("member");
        long offset = as("olive").ok(op("publish").put("path", messages(ch)).put("data", "before")).get("offset").asLong();
        WsClient mia = as("mia");
        ObjectNode poll = op("history").put("pattern", messages(ch)).put("since", offset).put("wait", 30);
        long pollId = 9_000;
        poll.put("id", pollId);
        mia.sendText(poll.toString());
        as("olive").ok(op("channelRemove").put("channel", ch).put("user", id("mia")));
        as("olive").ok(op("publish").put("path", messages(ch)).put("data", "after"));
        JsonNode r = mia.awaitReply(pollId);
        // Checked before the removal: answered when "after" arrived, without it; checked after: refused.
        if (r.path("ok").asBoolean()) {
            assertThat(r.get("result").get("events")).isEmpty();
        } else {
            assertThat(r.get("error").get("code").asText()).isEqualTo(FORBID);
        }
    }

    @Test
    void channelAreaIsMembersOnlyEvenForWideGrantsAndAdmins() {
        String ch = channel("owner");
        as("olive").ok(op("publish").put("path", messages(ch)).put("data", "secret"));
        // otto's group reads '*': the channel area is still closed to him, a wide read leaves it out
        assertThat(outcome("otto", op("history").put("pattern", "/_channels/**"))).isEqualTo(FORBID);
        JsonNode all = as("otto").ok(op("history").put("pattern", "/**"));
        all.get("events").forEach(e -> assertThat(e.get("path").asText()).doesNotStartWith("/_channels"));
        JsonNode mine = as("mia").ok(op("history").put("pattern", "/**"));
        assertThat(mine.get("events").toString()).contains("secret");
        // the admin user is no member either
        WsClient admin = WsClient.open(w.port());
        try {
            admin.ok(op("connect").put("username", "admin").put("password", SecureWire.ADMIN_PW));
            JsonNode r = admin.request(op("history").put("pattern", messages(ch)));
            assertThat(r.get("error").get("code").asText()).isEqualTo(FORBID);
        } finally {
            admin.close();
        }
    }

    @Test
    void badInputIsRefusedByName() {
        assertThat(as("olive").request(op("channelCreate").put("channel", "a/b")).get("error").get("message").asText())
                .contains("channel");
        assertThat(as("olive").request(op("channelCreate").put("inviteModel", "anyone")).get("error").get("message").asText())
                .contains("inviteModel");
        JsonNode r = as("olive").request(op("channelInvite").put("channel", "x").put("usr", "mia"));
        assertThat(r.get("error").get("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(r.get("error").get("message").asText()).contains("usr");
        r = as("olive").request(op("channelCreate").put("name", "n".repeat(201)));
        assertThat(r.get("error").get("message").asText()).contains("name");
        r = as("olive").request(op("channelUpdate").put("channel", "x"));
        assertThat(r.get("error").get("code").asText()).isEqualTo("BAD_REQUEST");
        WsClient anon = WsClient.open(w.port());
        try {
            assertThat(anon.request(op("channelList")).get("error").get("code").asText()).isEqualTo("UNAUTHENTICATED");
        } finally {
            anon.close();
        }
    }
}
