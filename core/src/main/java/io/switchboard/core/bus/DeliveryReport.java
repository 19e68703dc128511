package io.switchboard.core.bus;

import io.switchboard.core.result.DeliveryCounts;

/**
 * What one node tells the writing node about the deliveries of one of its {@code deferred} or
 * {@code acknowledged} writes to this node's subscribers: the counts so far, and whether they
 * are final ({@code last}: every push was acked or dropped, or nothing asked for acks). A node
 * sends one report once the write's events were handed to its subscribers and, for an
 * acknowledged write whose acks were still outstanding then, a last one when they are in.
 *
 * @param from    the reporting node
 * @param to      the node that made the write (its origin)
 * @param writeId the write's id
 */
public record DeliveryReport(String from, String to, String writeId, DeliveryCounts counts, boolean last) {
}
