package io.switchboard.core.rules;

import java.util.Set;

/** The names of the variables every rule sees (see docs/rules.md); a pattern may not bind them. */
final class Vars {
    static final String AUTH = "auth";
    static final String DATA = "data";
    static final String NEW_DATA = "newData";
    static final String OP = "op";
    static final String NOW = "now";
    static final String PATH = "path";
    static final String REQUEST = "request";
    static final Set<String> RESERVED = Set.of(AUTH, DATA, NEW_DATA, OP, NOW, PATH, REQUEST);

    private Vars() {
    }
}
