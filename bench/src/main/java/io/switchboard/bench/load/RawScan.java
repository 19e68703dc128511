package io.switchboard.bench.load;

import io.netty.buffer.ByteBuf;

import java.util.function.LongConsumer;

/** Finds every {@code "sbt":<digits>} in a frame's bytes without decoding it to a String. */
public final class RawScan {
    private static final byte[] KEY = "\"sbt\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private RawScan() {
    }

    /** Calls {@code each} with every sbt value in {@code buf}; returns how many were found. */
    public static int sbts(ByteBuf buf, LongConsumer each) {
        int found = 0;
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        outer:
        while (i <= end - KEY.length) {
            if (buf.getByte(i) != '"') {
                i++;
                continue;
            }
            for (int k = 1; k < KEY.length; k++) {
                if (buf.getByte(i + k) != KEY[k]) {
                    i++;
                    continue outer;
                }
            }
            i += KEY.length;
            long v = 0;
            int start = i;
            while (i < end) {
                byte b = buf.getByte(i);
                if (b < '0' || b > '9') {
                    break;
                }
                v = v * 10 + (b - '0');
                i++;
            }
            if (i > start) {
                each.accept(v);
                found++;
            }
        }
        return found;
    }
}
