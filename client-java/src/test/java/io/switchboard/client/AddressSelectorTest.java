package io.switchboard.client;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressSelectorTest {
    private static final List<ServerAddress> THREE = List.of(new ServerAddress("a", 1), new ServerAddress("b", 2),
            new ServerAddress("c", 3));

    @Test
    void orderedStartsWithTheFirstAndFailsOverInListOrder() {
        AddressSelector s = new AddressSelector(THREE, AddressStrategy.ORDERED, n -> 0);
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            hosts.add(s.next().host());
        }
        assertThat(hosts).containsExactly("a", "b", "c", "a", "b");
    }

    @Test
    void randomNeverPicksTheSameAddressTwiceInARow() {
        Random r = new Random(42);
        AddressSelector s = new AddressSelector(THREE, AddressStrategy.RANDOM, r::nextInt);
        ServerAddress prev = s.next();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            ServerAddress a = s.next();
            assertThat(a).isNotEqualTo(prev);
            seen.add(a.host());
            prev = a;
        }
        assertThat(seen).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void singleAddressAlwaysThatOne() {
        AddressSelector s = new AddressSelector(List.of(new ServerAddress("x", 9)), AddressStrategy.RANDOM, n -> 0);
        assertThat(s.next()).isEqualTo(s.next());
    }

    @Test
    void addressParsingAndUri() {
        ServerAddress a = ServerAddress.parse("127.0.0.1:8080");
        assertThat(a.webSocketUri().toString()).isEqualTo("ws://127.0.0.1:8080/ws");
        assertThatThrownBy(() -> ServerAddress.parse("nohost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AddressSelector(List.of(), AddressStrategy.ORDERED, n -> 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
