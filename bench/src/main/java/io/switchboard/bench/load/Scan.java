package io.switchboard.bench.load;

/** Cheap field extraction from compact JSON text, so that measuring does not cost a full parse per event. */
public final class Scan {
    private Scan() {
    }

    /** The integer after {@code "key":} or {@link Long#MIN_VALUE} when absent. */
    public static long longAfter(String s, String quotedKeyColon) {
        int i = s.indexOf(quotedKeyColon);
        if (i < 0) {
            return Long.MIN_VALUE;
        }
        i += quotedKeyColon.length();
        int n = s.length();
        while (i < n && s.charAt(i) == ' ') {
            i++;
        }
        boolean neg = i < n && s.charAt(i) == '-';
        if (neg) {
            i++;
        }
        long v = 0;
        int start = i;
        while (i < n) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
            i++;
        }
        if (i == start) {
            return Long.MIN_VALUE;
        }
        return neg ? -v : v;
    }
}
