package io.switchboard.core.router;

import io.switchboard.core.model.Event;

/** Something in the router's pattern index that wants matching events. */
interface Listener {
    /** Called on the dispatching thread, in offset order; must not block. */
    void onEvent(Event event, Dispatch dispatch);
}
