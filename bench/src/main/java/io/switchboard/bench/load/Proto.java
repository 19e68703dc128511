package io.switchboard.bench.load;

/**
 * Client messages of the native WebSocket protocol (SPEC section 4), written as compact JSON by hand.
 * Event data carries {@code "sbt"}: the intended send time in System.nanoTime nanoseconds.
 */
public final class Proto {
    private Proto() {
    }

    public static String connect(long id, String token) {
        return token == null ? "{\"id\":" + id + ",\"op\":\"connect\"}"
                : "{\"id\":" + id + ",\"op\":\"connect\",\"token\":" + Jsons.quote(token) + "}";
    }

    public static String subscribe(long id, String pattern) {
        return "{\"id\":" + id + ",\"op\":\"subscribe\",\"pattern\":" + Jsons.quote(pattern) + "}";
    }

    public static String publish(long id, String path, long sbt) {
        return "{\"id\":" + id + ",\"op\":\"publish\",\"path\":\"" + path + "\",\"data\":{\"sbt\":" + sbt + "}}";
    }

    public static String set(long id, String path, long sbt, String pad) {
        return "{\"id\":" + id + ",\"op\":\"set\",\"path\":\"" + path + "\",\"data\":{\"sbt\":" + sbt
                + ",\"pad\":\"" + pad + "\"}}";
    }

    public static String get(long id, String path) {
        return "{\"id\":" + id + ",\"op\":\"get\",\"path\":\"" + path + "\"}";
    }

    /** Reply id, or MIN_VALUE for pushes and system messages. */
    public static long replyId(String msg) {
        if (!msg.startsWith("{\"id\"") && msg.indexOf("\"ok\":") < 0) {
            return Long.MIN_VALUE;
        }
        return Scan.longAfter(msg, "\"id\":");
    }

    public static boolean ok(String msg) {
        return msg.contains("\"ok\":true");
    }

    public static boolean isPush(String msg) {
        return msg.startsWith("{\"sub\"") || (msg.contains("\"event\":") && !msg.contains("\"ok\":"));
    }
}
