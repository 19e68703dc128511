package io.switchboard.core.router;

/** Something in the router's pattern index: a subscription, or a long-polling history waiter. */
sealed interface Listener permits Subscription, HistoryWaiter {
}
