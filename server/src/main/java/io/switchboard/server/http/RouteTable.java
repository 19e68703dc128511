package io.switchboard.server.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every HTTP route of the server, looked up by path: exact paths first, then the longest
 * matching prefix. Built once at start; lookups are read-only.
 */
public final class RouteTable {
    private final List<Route> routes = new ArrayList<>();
    private volatile Route[] sorted = new Route[0];

    /** Adds a route; a second route for the same path and kind is a programming error. */
    public synchronized RouteTable add(Route r) {
        for (Route x : routes) {
            if (x.path().equals(r.path()) && x.prefix() == r.prefix()) {
                throw new IllegalStateException("route " + r.path() + " is registered twice");
            }
        }
        routes.add(r);
        List<Route> s = new ArrayList<>(routes);
        s.sort(Comparator.comparing((Route x) -> x.prefix()).thenComparing(x -> -x.path().length()));
        sorted = s.toArray(new Route[0]);
        return this;
    }

    /** The route for a raw URL path, or null. */
    public Route find(String rawPath) {
        for (Route r : sorted) {
            if (r.matches(rawPath)) {
                return r;
            }
        }
        return null;
    }

    /** The registered routes, exact ones first. */
    public List<Route> routes() {
        return List.of(sorted);
    }
}
