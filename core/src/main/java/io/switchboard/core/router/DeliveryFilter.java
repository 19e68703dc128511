package io.switchboard.core.router;

import io.switchboard.core.model.Event;

/**
 * Decides, per delivered event, whether a subscriber may see it, and what it sees. Filters
 * compose: the router asks every installed filter (permissions, read rules, ...) and delivers
 * only when all allow; each keeps its own typed per-subscription state
 * ({@link Subscription#state}). Called on the delivering event loop, once per (event,
 * subscriber): implementations cache their decisions per subscription.
 */
public interface DeliveryFilter {
    boolean allows(Subscription subscription, Event event);

    /**
     * The event as this subscriber sees it (a tenant's copy without the {@code /t/{tenant}}
     * prefix). Called only for allowed events; implementations cache copies so an event is
     * serialized once per shape, not once per subscriber.
     */
    default Event rewrite(Subscription subscription, Event event) {
        return event;
    }
}
