package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.server.config.ConfigKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.switchboard.server.SecureWire.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Hatch@ API, black-box over HTTP: two users with real RSA key pairs (one registered as an
 * SPKI PEM, one as a PKCS#1 PEM), tokens they sign themselves (RSA-SHA512), a channel per invite
 * model, invites, messages with millisecond-exact windows, a long-poll answered by a message,
 * and expired, forged, unsigned and other-user tokens refused.
 */
class HatchatHttpTest {
    static final String SYSTEM = "00000000-0000-0000-0000-000000000000";

    @TempDir
    java.nio.file.Path dir;
    SecureWire w;
    final Person ann = new Person("ann", true);
    final Person bob = new Person("bob", false);

    /** A Hatch@ user: an id, a key pair and the PEM it registers. */
    static final class Person {
        final String id = UUID.randomUUID().toString();
        final String name;
        final KeyPair keys;
        final String pem;

        Person(String name, boolean spki) {
            this.name = name;
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                keys = g.generateKeyPair();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            byte[] der = keys.getPublic().getEncoded();
            pem = spki ? pem("PUBLIC KEY", der) : pem("RSA PUBLIC KEY", Arrays.copyOfRange(der, 24, der.length));
        }

        static String pem(String type, byte[] der) {
            return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }

        /** A token with claim {@code claim}, signed with {@code signer}'s private key. */
        String token(ObjectNode claim, Person signer) {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String head = b64.encodeToString("{\"alg\":\"RS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String body = b64.encodeToString(Json.write(claim).getBytes(StandardCharsets.UTF_8));
            try {
                Signature s = Signature.getInstance("SHA512withRSA");
                s.initSign(signer.keys.getPrivate());
                s.update((head + "." + body).getBytes(StandardCharsets.US_ASCII));
                return head + "." + body + "." + b64.encodeToString(s.sign());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        /** A valid token: ann's exp as ISO-8601, bob's as epoch seconds. */
        String token() {
            ObjectNode c = Json.object().put("id", id);
            Instant exp = Instant.now().plusSeconds(120);
            if (name.equals("ann")) {
                c.put("exp", exp.toString());
            } else {
                c.put("exp", exp.getEpochSecond());
            }
            return token(c, this);
        }
    }

    @BeforeEach
    void setUp() {
        w = new SecureWire(dir, c -> c.with(ConfigKeys.COMPAT_HATCHAT_ENABLED, true));
    }

    @AfterEach
    void tearDown() {
        w.close();
    }

    HttpResponse<String> send(String method, String path, String body, String token) {
        List<String> h = new ArrayList<>(List.of("Content-Type", "application/json"));
        if (token != null) {
            h.addAll(List.of("Authorization", token));
        }
        return w.send(method, "/hatchat" + path, body, h.toArray(String[]::new));
    }

    HttpResponse<String> as(Person p, String method, String path, String body) {
        return send(method, path, body, (p == bob ? "Bearer " : "") + p.token());
    }

    void register(Person p) {
        HttpResponse<String> r = send("POST", "/users", Json.write(Json.object().put("id", p.id).put("publicKey", p.pem)
                .put("username", p.name)), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("username").asText()).isEqualTo(p.name);
    }

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    JsonNode messages(Person p, String channel, String since, String until) {
        HttpResponse<String> r = as(p, "GET", "/messages?channelId=" + channel + "&since=" + q(since) + "&until=" + q(until), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    @Test
    void needsSecurity() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SwitchboardServer.start(TestServers.config(dir.resolve("insecure"))
                        .withSecurityEnabled(false).with(ConfigKeys.COMPAT_HATCHAT_ENABLED, true)))
                .isInstanceOf(io.switchboard.server.config.ConfigException.class)
                .hasMessageContaining("compat.hatchat.enabled");
    }

    @Test
    void usersAndTokens() {
        assertThat(json(send("GET", "/ping", null, null)).get("pong").asInt()).isEqualTo(1);
        register(ann);
        register(bob);
        HttpResponse<String> dup = send("POST", "/users", Json.write(Json.object().put("id", ann.id).put("publicKey", ann.pem)
                .put("username", "again")), null);
        assertThat(dup.statusCode()).isEqualTo(409);
        HttpResponse<String> badKey = send("POST", "/users", Json.write(Json.object().put("id", UUID.randomUUID().toString())
                .put("publicKey", "not a key").put("username", "x")), null);
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(json(badKey).get("error").get("message").asText()).contains("publicKey");

        JsonNode b = json(as(ann, "GET", "/users/" + bob.id, null));
        assertThat(b.get("id").asText()).isEqualTo(bob.id);
        assertThat(b.get("publicKey").asText()).isEqualTo(bob.pem);

        // no token, forged (ann's claim signed by bob), expired, no exp, garbage: 401
        assertThat(send("GET", "/users/" + bob.id, null, null).statusCode()).isEqualTo(401);
        String forged = ann.token(Json.object().put("id", ann.id).put("exp", Instant.now().plusSeconds(60).toEpochMilli()), bob);
        assertThat(send("GET", "/users/" + bob.id, null, forged).statusCode()).isEqualTo(401);
        String expired = ann.token(Json.object().put("id", ann.id).put("exp", Instant.now().minusSeconds(60).toString()), ann);
        assertThat(send("GET", "/users/" + bob.id, null, expired).statusCode()).isEqualTo(401);
        String noExp = ann.token(Json.object().put("id", ann.id), ann);
        assertThat(send("GET", "/users/" + bob.id, null, noExp).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/users/" + bob.id, null, "a.b").statusCode()).isEqualTo(401);
        assertThat(json(send("GET", "/users/" + bob.id, null, forged)).get("error").get("code").asText())
                .isEqualTo("UNAUTHENTICATED");

        // owner-only changes: ann's valid token on bob's account is 403
        assertThat(as(ann, "PATCH", "/users/" + bob.id, "{\"username\":\"mallory\"}").statusCode()).isEqualTo(403);
        assertThat(as(ann, "DELETE", "/users/" + bob.id, null).statusCode()).isEqualTo(403);
        HttpResponse<String> renamed = as(bob, "PATCH", "/users/" + bob.id, "{\"username\":\"robert\"}");
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        assertThat(json(as(ann, "GET", "/users/" + bob.id, null)).get("username").asText()).isEqualTo("robert");
        assertThat(as(bob, "DELETE", "/users/" + bob.id, null).statusCode()).isEqualTo(200);
        assertThat(as(bob, "GET", "/users/" + ann.id, null).statusCode()).isEqualTo(401);
        assertThat(as(ann, "GET", "/users/" + bob.id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void channelPerInviteModel() {
        register(ann);
        register(bob);
        for (String model : List.of("owner", "member", "self")) {
            String ch = "room-" + model;
            HttpResponse<String> c = as(ann, "POST", "/channels", "{\"id\":\"" + ch + "\",\"inviteModel\":\"" + model + "\"}");
            assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
            assertThat(json(c).get("ownerId").asText()).isEqualTo(ann.id);
            String selfInvite = "{\"channelId\":\"" + ch + "\",\"userId\":\"" + bob.id + "\"}";
            // not a member yet: no details, no messages, no posting
            assertThat(as(bob, "GET", "/channels/" + ch, null).statusCode()).isEqualTo(403);
            assertThat(as(bob, "GET", "/messages?channelId=" + ch + "&since=-infinity&until=infinity", null).statusCode())
                    .isEqualTo(403);
            assertThat(as(bob, "POST", "/messages", "{\"channelId\":\"" + ch + "\",\"payload\":{\"t\":1}}").statusCode())
                    .isEqualTo(403);
            int selfStatus = as(bob, "POST", "/invite", selfInvite).statusCode();
            assertThat(selfStatus).as(model).isEqualTo(model.equals("self") ? 200 : 403);
            if (!model.equals("self")) {
                assertThat(as(ann, "POST", "/channels/invite", selfInvite).statusCode()).isEqualTo(200);
            }
            assertThat(as(ann, "POST", "/channels/invite", selfInvite).statusCode()).as("idempotent").isEqualTo(200);
            JsonNode details = json(as(bob, "GET", "/channels/" + ch, null));
            assertThat(details.get("inviteModel").asText()).isEqualTo(model);
            assertThat(details.get("members")).hasSize(2);
            assertThat(details.get("members").get(1).get("publicKey").asText()).isEqualTo(bob.pem);
            // only the owner changes or deletes it
            assertThat(as(bob, "PATCH", "/channels/" + ch, "{\"inviteModel\":\"self\"}").statusCode()).isEqualTo(403);
            assertThat(as(bob, "DELETE", "/channels/" + ch, null).statusCode()).isEqualTo(403);

            JsonNode all = messages(ann, ch, "-infinity", "infinity");
            assertThat(all).hasSize(2);
            assertThat(all.get(0).get("fromUserId").asText()).isEqualTo(SYSTEM);
            assertThat(all.get(0).get("payload").get("message").asText()).isEqualTo("user " + ann.id + " has joined the channel");
            assertThat(all.get(1).get("payload").get("message").asText()).isEqualTo("user " + bob.id + " has joined the channel");
        }
        JsonNode mine = json(as(bob, "GET", "/channels", null));
        assertThat(mine).hasSize(3);
        assertThat(as(ann, "PATCH", "/channels/room-owner", "{\"inviteModel\":\"member\"}").statusCode()).isEqualTo(200);
        assertThat(as(ann, "DELETE", "/channels/room-owner", null).statusCode()).isEqualTo(200);
        assertThat(as(ann, "GET", "/channels/room-owner", null).statusCode()).isEqualTo(404);
        assertThat(json(as(bob, "GET", "/channels", null))).hasSize(2);
        HttpResponse<String> bad = as(ann, "POST", "/channels", "{\"id\":\"x\",\"inviteModel\":\"anyone\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").get("message").asText()).contains("inviteModel");
    }

    @Test
    void messagesWindowsAndLongPoll() throws Exception {
        register(ann);
        register(bob);
        assertThat(as(ann, "POST", "/channels", "{\"id\":\"talk\",\"inviteModel\":\"member\"}").statusCode()).isEqualTo(200);
        assertThat(as(ann, "POST", "/channels/invite", "{\"channelId\":\"talk\",\"userId\":\"" + bob.id + "\"}").statusCode())
                .isEqualTo(200);
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> r = as(i == 2 ? bob : ann, "POST", "/messages", "{\"channelId\":\"talk\",\"payload\":{\"n\":" + i + "}}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        JsonNode all = messages(bob, "talk", "-infinity", "infinity");
        List<JsonNode> msgs = new ArrayList<>();
        all.forEach(m -> {
            if (!m.get("fromUserId").asText().equals(SYSTEM)) {
                msgs.add(m);
            }
        });
        assertThat(msgs).hasSize(3);
        assertThat(msgs.get(1).get("fromUserId").asText()).isEqualTo(bob.id);
        assertThat(msgs.get(1).get("username").asText()).isEqualTo("bob");
        for (int i = 1; i < all.size(); i++) {
            assertThat(Instant.parse(all.get(i).get("createdAt").asText()))
                    .isAfterOrEqualTo(Instant.parse(all.get(i - 1).get("createdAt").asText()));
        }
        // since is exclusive to the millisecond: from the first message on, the next two (same second or not)
        String first = msgs.get(0).get("createdAt").asText();
        JsonNode after = messages(bob, "talk", first, "infinity");
        assertThat(after.get(0).get("payload").get("n").asInt()).isGreaterThan(1);
        assertThat(after).hasSizeGreaterThanOrEqualTo(1);
        // until is inclusive: up to the first message, it is the last one returned
        JsonNode upTo = messages(bob, "talk", "-infinity", first);
        assertThat(upTo.get(upTo.size() - 1).get("payload").get("n").asInt()).isEqualTo(1);
        JsonNode limited = json(as(bob, "GET", "/messages?channelId=talk&since=-infinity&until=infinity&limit=1", null));
        assertThat(limited).hasSize(1);
        assertThat(as(bob, "GET", "/messages?channelId=talk&since=yesterday", null).statusCode()).isEqualTo(400);

        // a long-poll from the newest message waits, and returns with the message posted meanwhile
        String last = msgs.get(2).get("createdAt").asText();
        CompletableFuture<JsonNode> poll = CompletableFuture.supplyAsync(() -> messages(bob, "talk", last, "infinity"));
        CompletableFuture<Long> answeredAt = poll.thenApply(x -> System.nanoTime());
        String token = ann.token();
        long postedAt = System.nanoTime();
        HttpResponse<String> posted = send("POST", "/messages", "{\"channelId\":\"talk\",\"payload\":{\"n\":4}}", token);
        long repliedAt = System.nanoTime();
        assertThat(posted.statusCode()).isEqualTo(200);
        JsonNode got = poll.get();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).get("payload").get("n").asInt()).isEqualTo(4);
        // A figure, not a threshold (timings belong in the bench): from sending the post to the poll's answer.
        System.err.println("hatchat long-poll answered " + (answeredAt.get() - postedAt) / 1_000_000
                + " ms after the post was sent (the post's own reply took " + (repliedAt - postedAt) / 1_000_000 + " ms)");
    }
}
