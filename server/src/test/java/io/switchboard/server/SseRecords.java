package io.switchboard.server;

/**
 * Assembles Server-Sent Events records from lines: {@code id:}, {@code event:}, {@code data:},
 * and a blank line that ends a record. Shared by the tests that read SSE streams.
 */
final class SseRecords {
    private String[] cur = new String[3];

    /** Feeds one line; returns {@code [id, event, data]} when the line completed a record, else null. */
    String[] feed(String line) {
        int colon = line.indexOf(':');
        if (colon > 0) {
            // As the SSE format says: one optional space after the colon is not part of the value.
            String field = line.substring(0, colon);
            String value = line.substring(colon + 1);
            value = value.startsWith(" ") ? value.substring(1) : value;
            switch (field) {
                case "id" -> cur[0] = value;
                case "event" -> cur[1] = value;
                case "data" -> cur[2] = value;
                default -> { }
            }
        } else if (line.isEmpty() && cur[2] != null) {
            String[] done = cur;
            cur = new String[3];
            return done;
        }
        return null;
    }
}
