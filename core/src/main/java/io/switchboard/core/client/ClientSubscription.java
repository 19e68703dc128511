package io.switchboard.core.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.concurrent.CompletableFuture;

/** A live subscription held by a client. */
public interface ClientSubscription {
    /** The server's subscription id (may change when a network client resubscribes). */
    String id();

    String pattern();

    /** The offset of the last event delivered to the listener (or the subscribe offset). */
    long lastOffset();

    /** The subscribe reply: {@code {sub, epoch, offset, recovered?, items?}}. */
    JsonNode reply();

    CompletableFuture<Void> unsubscribe();
}
