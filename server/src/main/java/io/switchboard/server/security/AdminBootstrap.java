package io.switchboard.server.security;

import io.switchboard.core.security.SecurityService;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;

/**
 * The admin user on start-up. First start with no global admin: creates {@code admin} with
 * {@code auth.adminPassword} (env {@code SWITCHBOARD_ADMIN_PASSWORD}) or a generated password,
 * which is logged once and kept in {@code data.dir/admin-password} (owner read/write only) so a
 * new user can copy it from there. A later start with {@code SWITCHBOARD_ADMIN_PASSWORD} set
 * while the admin still has that generated password switches it to the one set (and removes the
 * file); every case is said in the log. A set password shorter than
 * {@code auth.minPasswordLength} stops start-up.
 */
public final class AdminBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
    /** Where a generated admin password is kept until it is changed. */
    public static final String FILE = "admin-password";

    private AdminBootstrap() {
    }

    public static void run(SecurityService security, ServerConfig config) {
        String pw = config.adminPassword();
        String source = "auth.adminPassword";
        if (pw == null || pw.isEmpty()) {
            pw = System.getenv("SWITCHBOARD_ADMIN_PASSWORD");
            source = "SWITCHBOARD_ADMIN_PASSWORD";
        }
        if (pw != null && pw.isEmpty()) {
            pw = null;
        }
        if (pw != null && pw.length() < config.minPasswordLength()) {
            throw new ConfigException(source + " is " + pw.length() + " characters long; the admin password needs at least "
                    + config.minPasswordLength() + " (auth.minPasswordLength)");
        }
        Path file = config.dataDir().resolve(FILE);
        boolean existed = security.hasGlobalAdmin();
        String generated = security.bootstrap(pw);
        if (generated != null) {
            write(file, generated);
            LOG.warn("FIRST START: created the admin user 'admin' with the generated password: {}\n"
                    + "    It is kept in {} (owner-only) until you change it; it is never logged again. Change it through"
                    + " the admin API (PUT /api/admin/users/{{id}}/password), or restart once with SWITCHBOARD_ADMIN_PASSWORD set.",
                    generated, file);
            return;
        }
        if (pw == null) {
            if (Files.exists(file)) {
                LOG.info("the admin user still has the generated password kept in {}", file);
            }
            return;
        }
        if (!Files.exists(file)) {
            if (!existed) {
                LOG.info("FIRST START: created the admin user 'admin' with the password from {}", source);
            }
            return;
        }
        String kept = read(file);
        if (security.replaceAdminPassword(kept, pw)) {
            delete(file);
            LOG.warn("the admin user 'admin' had the generated password; it now has the one from {} ({} removed)", source, file);
        } else {
            delete(file);
            LOG.info("the admin password was already changed; {} ignored and {} removed", source, file);
        }
    }

    private static void write(Path file, String pw) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, pw + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the data dir's own permissions protect it
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", file, e.toString());
        }
    }
}
