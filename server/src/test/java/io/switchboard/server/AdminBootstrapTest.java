package io.switchboard.server;

import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ServerConfig;
import io.switchboard.server.security.AdminBootstrap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin user across the first starts, as a new user meets it: a generated password kept in
 * {@code data.dir/admin-password} that logs in; a later start with a chosen password while the
 * admin still has the generated one switches to it; a too-short chosen password stops start-up.
 */
class AdminBootstrapTest {
    @TempDir
    Path dir;

    ServerConfig secure() {
        return TestServers.config(dir).withSecurityEnabled(true).withAdminToken(SecureWire.ADMIN_KEY)
                .withJwtSecret(SecureWire.SECRET);
    }

    @Test
    void aGeneratedPasswordIsKeptUntilAChosenOneReplacesIt() throws Exception {
        Path file = dir.resolve(AdminBootstrap.FILE);
        String generated;
        try (SecureWire w = new SecureWire(SwitchboardServer.start(secure()))) {
            generated = Files.readString(file).trim();
            assertThat(generated).isNotEmpty();
            assertThat(w.login("admin", generated)).isNotEmpty();
        }
        try (SecureWire w = new SecureWire(SwitchboardServer.start(secure()))) {
            assertThat(w.login("admin", generated)).as("a restart keeps it").isNotEmpty();
        }
        try (SecureWire w = new SecureWire(SwitchboardServer.start(secure().withAdminPassword("change-me")))) {
            assertThat(w.login("admin", "change-me")).isNotEmpty();
            assertThat(w.send("POST", "/api/auth/login", "{\"username\":\"admin\",\"password\":\"" + generated + "\"}")
                    .statusCode()).isEqualTo(401);
            assertThat(file).doesNotExist();
        }
        try (SecureWire w = new SecureWire(SwitchboardServer.start(secure().withAdminPassword("another-one")))) {
            assertThat(w.login("admin", "change-me")).as("a changed password is never overwritten").isNotEmpty();
        }
    }

    @Test
    void aTooShortAdminPasswordStopsStartUp() {
        assertThatThrownBy(() -> SwitchboardServer.start(secure().withAdminPassword("short")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.adminPassword is 5 characters long")
                .hasMessageContaining("auth.minPasswordLength");
    }
}
