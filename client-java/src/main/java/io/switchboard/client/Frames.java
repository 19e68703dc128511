package io.switchboard.client;

import java.util.ArrayList;
import java.util.List;

/** Splits a server text frame into its messages: the server batches pushes separated by {@code \n}. */
final class Frames {
    private Frames() {
    }

    /** The non-blank lines of {@code frame}, in order ({@code \r\n} tolerated). */
    static List<String> split(String frame) {
        List<String> out = new ArrayList<>(1);
        int start = 0;
        int len = frame.length();
        while (start < len) {
            int nl = frame.indexOf('\n', start);
            int end = nl < 0 ? len : nl;
            int e = end;
            if (e > start && frame.charAt(e - 1) == '\r') {
                e--;
            }
            if (!frame.substring(start, e).isBlank()) {
                out.add(frame.substring(start, e));
            }
            start = end + 1;
        }
        return out;
    }
}
