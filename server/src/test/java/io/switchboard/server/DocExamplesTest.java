package io.switchboard.server;

import io.switchboard.server.config.ServerConfig;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Executable docs: every example marked {@code <!-- doc-test -->} in README.md and docs/*.md
 * runs against a fresh server on an ephemeral port (see {@link DocRunner}). README's "Try it"
 * and the getting-started walkthrough run in a new user's order on one data folder: first
 * start with the generated admin password, then a later start with the chosen one.
 */
class DocExamplesTest {
    /** The admin password the docs choose ({@code SWITCHBOARD_ADMIN_PASSWORD}). */
    static final String PW = "choose-a-password";
    /** The admin API key the docs set ({@code SWITCHBOARD_AUTH_ADMIN_TOKEN}). */
    static final String ADMIN_TOKEN = "my-admin-key";
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private static DocBlocks doc(String relative) throws IOException {
        return DocBlocks.read(ROOT.resolve(relative));
    }

    @Test
    void readmeTryItThenTheGettingStartedWalkthroughAsANewUser() throws Exception {
        DocBlocks readme = doc("README.md");
        DocBlocks started = doc("docs/getting-started.md");
        assertThat(readme.blocks()).as("README's Try it is marked for the test").isNotEmpty();
        assertThat(started.blocks()).as("getting-started's examples are marked for the test").hasSizeGreaterThanOrEqualTo(2);
        Path data = dir.resolve("data");

        // First start, nothing chosen: the generated password is in data/admin-password.
        try (SwitchboardServer first = SwitchboardServer.start(TestServers.secureConfig(data))) {
            assertThat(data.resolve("admin-password")).exists();
            new DocRunner(dir, first.port(), Map.of()).runAll(readme);
        }
        // A later start with SWITCHBOARD_ADMIN_PASSWORD, as getting-started says.
        try (SwitchboardServer later = SwitchboardServer.start(TestServers.secureConfig(data).withAdminPassword(PW))) {
            assertThat(data.resolve("admin-password")).doesNotExist();
            new DocRunner(dir, later.port(), Map.of("PW", PW)).runAll(started);
        }
    }

    /** Every other doc with marked examples, each on a fresh server and data folder. */
    @TestFactory
    Stream<DynamicTest> everyMarkedExampleInTheDocsRuns() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                DocBlocks d = DocBlocks.read(f);
                if (d.blocks().isEmpty() || f.getFileName().toString().equals("getting-started.md")) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> runOnFreshServer(d)));
            }
        }
        assertThat(tests).as("docs with marked examples besides getting-started").isNotEmpty();
        return tests.stream();
    }

    private void runOnFreshServer(DocBlocks d) throws Exception {
        Path work = Files.createDirectories(dir.resolve(d.file().getFileName().toString()));
        ServerConfig config = TestServers.secureConfig(work.resolve("data")).withAdminPassword(PW).withAdminToken(ADMIN_TOKEN);
        try (SwitchboardServer server = SwitchboardServer.start(config)) {
            new DocRunner(work, server.port(), Map.of("PW", PW)).runAll(d);
        }
    }
}
