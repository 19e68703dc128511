package io.switchboard.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkSubscriptionTest {
    private static Event ev(long offset) {
        return new Event(offset, null, EventType.PUBLISH, "/a", null, null, null, 0, null);
    }

    private static ObjectNode reply(String sub, String epoch, long offset) {
        return Json.object().put("sub", sub).put("epoch", epoch).put("offset", offset);
    }

    @Test
    void dropsDuplicatesAndResumesFromTheLastRoutedOffset() {
        NetworkSubscription s = new NetworkSubscription(null, "/a/*", Json.object().put("initial", "snapshot")
                .put("mergeOnly", true), e -> { });
        s.onSubscribed(reply("s1", "E", 10), null);
        assertThat(s.id()).isEqualTo("s1");
        assertThat(s.lastOffset()).isEqualTo(10);
        assertThat(s.route(ev(10))).isFalse();
        assertThat(s.route(ev(11))).isTrue();
        assertThat(s.route(ev(12))).isTrue();
        assertThat(s.route(ev(12))).isFalse();

        ObjectNode f = s.resubscribeFields();
        assertThat(f.path("pattern").asText()).isEqualTo("/a/*");
        assertThat(f.path("since").path("epoch").asText()).isEqualTo("E");
        assertThat(f.path("since").path("offset").asLong()).isEqualTo(12);
        assertThat(f.has("initial")).isFalse();
        assertThat(f.path("mergeOnly").asBoolean()).isTrue();

        assertThat(s.onResubscribed(reply("s7", "E", 20).put("recovered", true))).isTrue();
        assertThat(s.id()).isEqualTo("s7");
        assertThat(s.route(ev(12))).isFalse();
        assertThat(s.route(ev(13))).isTrue();
    }

    @Test
    void failedRecoveryContinuesLiveFromTheReplyOffset() {
        NetworkSubscription s = new NetworkSubscription(null, "/a", null, e -> { });
        s.onSubscribed(reply("s1", "E", 100), null);
        s.route(ev(101));
        // A new epoch (data lost): offsets restart lower, and must not be dropped as duplicates.
        assertThat(s.onResubscribed(reply("s2", "F", 5).put("recovered", false))).isFalse();
        assertThat(s.route(ev(6))).isTrue();
    }

    @Test
    void recoveredUserSinceExpectsTheReplay() {
        NetworkSubscription s = new NetworkSubscription(null, "/a", Json.object().put("since", 3), e -> { });
        s.onSubscribed(reply("s1", "E", 9).put("recovered", true), 3L);
        assertThat(s.route(ev(4))).isTrue();
        assertThat(NetworkSubscription.sinceOffset(Json.object().put("since", 3))).isEqualTo(3L);
        assertThat(NetworkSubscription.sinceOffset(Json.object().set("since",
                Json.object().put("epoch", "E").put("offset", 8)))).isEqualTo(8L);
        assertThat(NetworkSubscription.sinceOffset(Json.object())).isNull();
    }

    @Test
    void countIsReducedOnResubscribeAndEndsTheSubscription() {
        NetworkSubscription s = new NetworkSubscription(null, "/a", Json.object().put("count", 3), e -> { });
        s.onSubscribed(reply("s1", "E", 0), null);
        s.route(ev(1));
        assertThat(s.resubscribeFields().path("count").asLong()).isEqualTo(2);
        s.route(ev(2));
        s.route(ev(3));
        assertThat(s.isOver()).isTrue();
        assertThat(s.resubscribeFields()).isNull();
    }

    @Test
    void cancelledIsNotResubscribed() {
        NetworkSubscription s = new NetworkSubscription(null, "/a", null, e -> { });
        s.onSubscribed(reply("s1", "E", 0), null);
        assertThat(s.cancel()).isTrue();
        assertThat(s.cancel()).isFalse();
        assertThat(s.resubscribeFields()).isNull();
        assertThat(s.route(ev(1))).isFalse();
    }
}
