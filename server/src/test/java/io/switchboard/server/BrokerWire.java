package io.switchboard.server;

import java.net.http.HttpResponse;

/** The broker wire tests' JSON POST: {@code '} stands for {@code "} in bodies, and the content type is set. */
final class BrokerWire {
    private BrokerWire() {
    }

    static HttpResponse<String> post(SecureWire w, String path, String body, String... headers) {
        String[] h = new String[headers.length + 2];
        h[0] = "Content-Type";
        h[1] = "application/json";
        System.arraycopy(headers, 0, h, 2, headers.length);
        return w.send("POST", path, body.replace('\'', '"'), h);
    }
}
