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
}
