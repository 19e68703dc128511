package io.switchboard.server.compat.happn;

import io.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * happn's HTTP routes with session tokens (http.js): the happn-3 client logs in, and its token
 * opens an app's web file through the {@code happn_token} cookie, {@code ?happn_token=} and a
 * Bearer header, checked as {@code get} on {@code /@HTTP/web/...}; against Switchboard's static
 * files ({@code http.static.access: secured}) and against happn-3 with serve-static mounted on
 * its connect app (happn-http-server.js).
 */
class HappnHttpCompatTest {
    @TempDir
    Path tmp;

    private Path web() throws Exception {
        Path web = Files.createDirectories(tmp.resolve("web"));
        Files.writeString(web.resolve("hello.txt"), "hello from the app");
        return web;
    }

    @Test
    void httpRoutesAgainstSwitchboard() throws Exception {
        HappnCompatTest.assumeNode();
        Path web = web();
        try (SwitchboardServer s = SwitchboardServer.start(new HappnCompatTest().config(tmp.resolve("data"))
                .with("http.static.dir", web.toString()).with("http.static.prefix", "/web")
                .with("http.static.access", "secured"))) {
            int port = s.port();
            String admin = HappnCompatTest.adminToken(port);
            // happn's '/@HTTP/web/*' (its * crosses '/') is '/@HTTP/web/**' here.
            HappnCompatTest.adminPost(port, admin, "/api/admin/groups",
                    "{\"name\":\"web\",\"permissions\":{\"/@HTTP/web/**\":{\"actions\":[\"get\"]}}}");
            HappnCompatTest.adminPost(port, admin, "/api/admin/groups",
                    "{\"name\":\"data\",\"permissions\":{\"/data/**\":{\"actions\":[\"get\"]}}}");
            for (String[] u : new String[][] {{"webuser", "web"}, {"datauser", "data"}}) {
                HappnCompatTest.adminPost(port, admin, "/api/admin/users", "{\"username\":\"" + u[0] + "\",\"password\":\""
                        + HappnCompatTest.PW + "\",\"groups\":[\"" + u[1] + "\"]}");
            }
            HappnCompatTest.runScript("http.js", port);
        }
    }

    @Test
    void httpRoutesAgainstHappn3() throws Exception {
        Path web = web();
        HappnCompatTest.withHappn3("happn-http-server.js", List.of(web.toString()),
                port -> HappnCompatTest.runScript("http.js", port, HappnCompatTest.HAPPN));
    }
}
