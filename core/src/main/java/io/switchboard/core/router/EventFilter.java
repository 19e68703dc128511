package io.switchboard.core.router;

import io.switchboard.core.model.Event;
import io.switchboard.core.session.Session;

/**
 * Decides, per delivered event, whether a subscriber may see it (permissions and read rules
 * on wildcard subscriptions). Called on the dispatch thread: implementations cache their
 * decisions per (session, pattern).
 */
@FunctionalInterface
public interface EventFilter {
    EventFilter ALLOW_ALL = (session, sub, event) -> true;

    boolean allows(Session session, Subscription subscription, Event event);

    /**
     * The event as this subscriber sees it (a tenant's copy without the {@code /t/{tenant}}
     * prefix). Called only for allowed events; implementations cache copies so an event is
     * serialized once per shape, not once per subscriber.
     */
    default Event rewrite(Session session, Event event) {
        return event;
    }
}
