package io.switchboard.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads one HTTP/1.1 response (with a Content-Length body) from a raw socket, for tests that must control the bytes. */
final class RawHttp {
    record Response(int status, String headers, String body) { }

    private RawHttp() {
    }

    static Response read(InputStream in) throws IOException {
        String head = readHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("body cut short: " + body.length + " of " + length);
        }
        return new Response(status, head, new String(body, StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                String h = new String(a, StandardCharsets.ISO_8859_1);
                if (h.startsWith("HTTP/1.1 100")) {
                    b.reset();
                    continue;
                }
                return h;
            }
        }
        throw new IOException("connection closed before a response: " + b);
    }
}
