package io.switchboard.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client done by hand over a plain TCP socket, for clients that misbehave: one
 * that goes silent (never pongs) or one that never reads.
 */
final class RawWs implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawWs(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        in = socket.getInputStream();
        out = socket.getOutputStream();
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during handshake");
            }
            head.write(b);
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            throw new IOException("handshake failed: " + head);
        }
    }

    /** Sends one masked text frame (clients must mask). */
    void sendText(String text) throws IOException {
        out.write(frame(text));
        out.flush();
    }

    /** Sends one masked text frame whose payload is exactly {@code payload} (which need not be UTF-8). */
    void sendTextBytes(byte[] payload) throws IOException {
        out.write(frame(payload));
        out.flush();
    }

    /** One masked text frame's bytes, for clients that pipeline many frames in one write. */
    static byte[] frame(String text) {
        return frame(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] frame(byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x81);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
            }
        }
        byte[] mask = {1, 2, 3, 4};
        f.write(mask, 0, mask.length);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        return f.toByteArray();
    }

    /**
     * Reads server frames until {@code n} JSON messages arrived (a frame may carry several, one a
     * line); pings are skipped. Fails if the socket closes or times out first.
     */
    java.util.List<String> readMessages(int n, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        java.util.List<String> out = new java.util.ArrayList<>();
        java.io.DataInputStream d = new java.io.DataInputStream(in);
        while (out.size() < n) {
            Frame f = readFrame(d);
            int opcode = f.opcode();
            byte[] payload = f.payload();
            if (opcode == 0x8) {
                throw new IOException("closed by the server after " + out);
            }
            if (opcode == 0x1) {
                for (String line : new String(payload, StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        out.add(line);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Reads frames until the server's close frame and returns its status code (-1 for a close
     * frame without one); text frames before it are collected into {@code texts} when not null.
     */
    int readCloseCode(int timeoutMs, java.util.List<String> texts) throws IOException {
        socket.setSoTimeout(timeoutMs);
        java.io.DataInputStream d = new java.io.DataInputStream(in);
        while (true) {
            Frame f = readFrame(d);
            int opcode = f.opcode();
            byte[] payload = f.payload();
            if (opcode == 0x8) {
                return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
            }
            if (opcode == 0x1 && texts != null) {
                texts.add(new String(payload, StandardCharsets.UTF_8));
            }
        }
    }

    /** One unmasked frame from the server. */
    private record Frame(int opcode, byte[] payload) { }

    private static Frame readFrame(java.io.DataInputStream d) throws IOException {
        int b0 = d.readUnsignedByte();
        int b1 = d.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = d.readUnsignedShort();
        } else if (len == 127) {
            len = d.readLong();
        }
        byte[] payload = new byte[(int) len];
        d.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads (and discards) until the server closes the socket; false if still open at the deadline. */
    boolean awaitServerClose(long timeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        socket.setSoTimeout(200);
        byte[] buf = new byte[65536];
        while (System.currentTimeMillis() < deadline) {
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // keep waiting
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
