package io.switchboard.core.bus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Event;
import io.switchboard.core.model.EventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What every bus between nodes must do, against its real server: carry each node's commits to
 * every other node intact and in order, keep a node's own commits local, send heartbeats with
 * the head offset, come back after its connection is cut, and refuse to start without a server.
 * A module extends this with its bus; each test uses a channel of its own.
 */
public abstract class BusContract {
    /** A bus of node {@code node} on {@code channel}, not yet started. */
    protected abstract Bus newBus(String channel, String node, long heartbeatMs);

    /** A bus pointed at a server that does not answer. */
    protected abstract Bus unreachableBus(String channel, String node);

    /** Cuts {@code bus}'s connection to its server (the bus is expected to come back by itself). */
    protected abstract void cut(Bus bus) throws Exception;

    private final List<Bus> started = new ArrayList<>();
    protected final String channel = "sb-test-" + UUID.randomUUID();

    /** What one node's receiver got. */
    protected static final class Node implements Bus.Receiver {
        final List<Envelope> envelopes = new CopyOnWriteArrayList<>();
        final List<Long> hints = new CopyOnWriteArrayList<>();

        @Override
        public void accept(List<Envelope> batch) {
            envelopes.addAll(batch);
        }

        @Override
        public void hint(long headOffset) {
            hints.add(headOffset);
        }

        List<Long> offsets() {
            return envelopes.stream().flatMap(e -> e.events().stream()).map(Event::offset).toList();
        }
    }

    private Bus start(String node, Node receiver, long heartbeatMs) {
        Bus b = newBus(channel, node, heartbeatMs);
        b.start(receiver);
        started.add(b);
        return b;
    }

    @AfterEach
    void closeAll() {
        started.forEach(Bus::close);
    }

    private static Envelope envelope(String origin, long offset, String writeId) {
        ObjectNode meta = Json.object().put("version", offset);
        Event e = new Event(offset, offset % 3 == 0 ? "pub-" + offset : null, offset % 2 == 0 ? EventType.SET : EventType.MERGE,
                "/bus/" + offset, Json.object().put("n", offset).put("s", "caf\u00e9 \uD83D\uDE00"),
                offset % 2 == 0 ? null : Json.object().put("n", offset), meta, 1000 + offset, "user-" + offset,
                offset % 4 == 0 ? List.of("session-a", "session-b") : null);
        return new Envelope(origin, writeId, writeId == null ? Envelope.Tracking.NONE : Envelope.Tracking.ACK, List.of(e));
    }

    @Test
    void commitsReachEveryOtherNodeIntactAndInOrder() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        Bus busA = start("A", a, 60_000);
        start("B", b, 60_000);
        start("C", c, 60_000);
        List<Long> sent = new ArrayList<>();
        for (long off = 1; off <= 200; off += 2) {
            busA.publish(List.of(envelope("A", off, "w" + off), envelope("A", off + 1, null)));
            sent.add(off);
            sent.add(off + 1);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> b.offsets().size() == 200 && c.offsets().size() == 200);
        assertThat(b.offsets()).isEqualTo(sent);
        assertThat(c.offsets()).isEqualTo(sent);
        // A got its own commits once, at once, and never its messages back
        assertThat(a.offsets()).isEqualTo(sent);
        Envelope got = b.envelopes.get(0);
        Envelope want = envelope("A", 1, "w1");
        assertThat(got.origin()).isEqualTo("A");
        assertThat(got.writeId()).isEqualTo("w1");
        assertThat(got.tracking()).isEqualTo(Envelope.Tracking.ACK);
        Event ge = got.events().get(0);
        Event we = want.events().get(0);
        assertThat(ge.type()).isEqualTo(we.type());
        assertThat(ge.path()).isEqualTo(we.path());
        assertThat(Json.write(ge.data())).isEqualTo(Json.write(we.data())); // as text: 1 decodes as int, not long
        assertThat(Json.write(ge.patch())).isEqualTo(Json.write(we.patch())); // as text: 1 decodes as int, not long
        assertThat(Json.write(ge.meta())).isEqualTo(Json.write(we.meta())); // as text: 1 decodes as int, not long
        assertThat(ge.ts()).isEqualTo(we.ts());
        assertThat(ge.by()).isEqualTo(we.by());
        Event targeted = b.envelopes.stream().flatMap(e -> e.events().stream()).filter(e -> e.offset() == 4).findFirst().orElseThrow();
        assertThat(targeted.targets()).containsExactly("session-a", "session-b");
        assertThat(targeted.id()).isNull();
        assertThat(b.envelopes.stream().flatMap(e -> e.events().stream()).filter(e -> e.offset() == 3).findFirst()
                .orElseThrow().id()).isEqualTo("pub-3");
        assertThat(b.hints).contains(200L);
    }

    @Test
    void heartbeatsCarryTheHeadOffset() {
        Node a = new Node();
        Node b = new Node();
        Bus busA = start("A", a, 100);
        start("B", b, 100);
        busA.publish(List.of(envelope("A", 41, null)));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.hints.stream().filter(h -> h == 41L).count() >= 3);
    }

    @Test
    void aCutConnectionComesBackAndCarriesAgain() throws Exception {
        Node a = new Node();
        Node b = new Node();
        Bus busA = start("A", a, 200);
        Bus busB = start("B", b, 200);
        busA.publish(List.of(envelope("A", 1, null)));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.offsets().contains(1L));
        cut(busB);
        await().atMost(Duration.ofSeconds(30)).until(busB::isHealthy);
        // after the cut, new commits flow again (what was sent during it is the log's to repair)
        long off = 2;
        while (!b.offsets().contains(off - 1) || off < 5) {
            busA.publish(List.of(envelope("A", off++, null)));
            Thread.sleep(50);
            if (off > 2000) {
                throw new AssertionError("nothing arrived after the cut; got " + b.offsets());
            }
        }
        assertThat(busA.isHealthy()).isTrue();
    }

    @Test
    void aBusWithoutItsServerRefusesToStart() {
        Bus b = unreachableBus(channel, "X");
        assertThatThrownBy(() -> b.start(new Node()))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("bus.type " + b.name()).contains("cannot connect");
                });
        b.close();
    }
}
