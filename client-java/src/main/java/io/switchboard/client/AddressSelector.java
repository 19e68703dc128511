package io.switchboard.client;

import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Picks the address of each connection attempt according to an {@link AddressStrategy}. Every
 * call to {@link #next()} is one attempt, so a failed or dropped server is left for the next one.
 * Not thread-safe: the client calls it under its own lock.
 */
final class AddressSelector {
    private final List<ServerAddress> addresses;
    private final AddressStrategy strategy;
    /** Random bound → index; injectable so tests are deterministic. */
    private final IntUnaryOperator random;
    private int last = -1;

    AddressSelector(List<ServerAddress> addresses, AddressStrategy strategy, IntUnaryOperator random) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one server address is required");
        }
        this.addresses = List.copyOf(addresses);
        this.strategy = strategy;
        this.random = random;
    }

    ServerAddress next() {
        int n = addresses.size();
        if (n == 1) {
            last = 0;
        } else if (strategy == AddressStrategy.ORDERED) {
            last = (last + 1) % n;
        } else if (last < 0) {
            last = random.applyAsInt(n);
        } else {
            // Pick among the other n-1 addresses, so a dead server is not retried at once.
            int pick = random.applyAsInt(n - 1);
            last = pick >= last ? pick + 1 : pick;
        }
        return addresses.get(last);
    }
}
