package io.switchboard.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Blocking HTTP/1.1 and WebSocket frames over plain sockets, for clients that misbehave on purpose. */
final class RawHttp {
    private RawHttp() {
    }

    static Socket open(String source, String host, int port) throws IOException {
        Socket s = new Socket();
        s.setReuseAddress(true);
        if (source != null) {
            s.bind(new InetSocketAddress(source, 0));
        }
        s.connect(new InetSocketAddress(host, port), 5_000);
        return s;
    }

    /** Reads up to and including the blank line that ends a response head. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed in the response head");
            }
            b.write(c);
            last4 = (last4 << 8) | c;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Skips a Content-Length body (the server answers small JSON with one). */
    static void skipBody(InputStream in, String head) throws IOException {
        long n = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                n = Long.parseLong(line.substring(15).trim());
            }
        }
        while (n > 0) {
            long k = in.skip(n);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed in the body");
                }
                k = 1;
            }
            n -= k;
        }
    }

    /** Sends a WebSocket upgrade for {@code /ws} and reads the 101 answer. */
    static void upgrade(Socket s, String host) throws IOException {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String req = "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
        String head = readHead(s.getInputStream());
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head.lines().findFirst().orElse(""));
        }
    }

    /** One masked text frame (as a client must send it). */
    static byte[] textFrame(String text) {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream(p.length + 14);
        b.write(0x81);
        if (p.length < 126) {
            b.write(0x80 | p.length);
        } else {
            b.write(0x80 | 126);
            b.write(p.length >> 8);
            b.write(p.length & 0xff);
        }
        byte[] mask = {1, 2, 3, 4};
        b.write(mask, 0, 4);
        for (int i = 0; i < p.length; i++) {
            b.write(p[i] ^ mask[i & 3]);
        }
        return b.toByteArray();
    }

    static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
