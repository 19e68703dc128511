package io.switchboard.core.session;

/** {@code STATEFUL}: a WebSocket or SSE connection; {@code STATELESS}: one HTTP request. */
public enum SessionType { STATEFUL, STATELESS }
