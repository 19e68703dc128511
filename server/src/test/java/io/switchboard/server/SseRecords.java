package io.switchboard.server;

/**
 * Assembles Server-Sent Events records from lines: {@code id:}, {@code event:}, {@code data:},
 * and a blank line that ends a record. Shared by the tests that read SSE streams.
 */
final class SseRecords {
    private String[] cur = new String[3];

    /** Feeds one line; returns {@code [id, event, data]} when the line completed a record, else null. */
    String[] feed(String line) {
        if (line.startsWith("id: ")) {
            cur[0] = line.substring(4);
        } else if (line.startsWith("event: ")) {
            cur[1] = line.substring(7);
        } else if (line.startsWith("data: ")) {
            cur[2] = line.substring(6);
        } else if (line.isEmpty() && cur[2] != null) {
            String[] done = cur;
            cur = new String[3];
            return done;
        }
        return null;
    }
}
