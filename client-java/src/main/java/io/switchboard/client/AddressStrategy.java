package io.switchboard.client;

/** How a client with several server addresses chooses where to (re)connect. */
public enum AddressStrategy {
    /** A random address each attempt, avoiding the one just used when there is a choice. */
    RANDOM,
    /** Failover in list order: the first address first, then the next one after each drop or failure. */
    ORDERED
}
