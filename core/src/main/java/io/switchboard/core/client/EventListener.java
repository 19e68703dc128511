package io.switchboard.core.client;

import io.switchboard.core.model.Event;

/** Receives the events of one subscription, in offset order. */
@FunctionalInterface
public interface EventListener {
    void onEvent(Event event);
}
