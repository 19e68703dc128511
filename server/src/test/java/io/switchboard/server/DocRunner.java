package io.switchboard.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs marked doc examples as a reader would, against a server of the test: {@code localhost:8080}
 * becomes the server's ephemeral port, the working directory is the one holding the server's
 * {@code data/} folder. Shell blocks run under {@code set -euo pipefail} with {@code curl}
 * failing on an HTTP error, so every command of a block must succeed.
 */
final class DocRunner {
    private static final long TIMEOUT_S = 60;
    private static final String PRELUDE = "set -euo pipefail\n"
            + "curl() { command curl -sS --fail-with-body --max-time 20 \"$@\"; }\n";

    private final Path workDir;
    private final int port;
    private final Map<String, String> env;
    private String lastOutput = "";

    DocRunner(Path workDir, int port, Map<String, String> env) {
        this.workDir = workDir;
        this.port = port;
        this.env = env;
    }

    static boolean has(String command) {
        try {
            Process p = new ProcessBuilder("bash", "-c", "command -v " + command).redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    String rewrite(String text) {
        return text.replace("localhost:8080", "127.0.0.1:" + port);
    }

    /** Runs every block of {@code doc} in order (output blocks check the run before them). */
    void runAll(DocBlocks doc) throws Exception {
        for (DocBlocks.Block b : doc.blocks()) {
            run(doc.file(), b);
        }
    }

    void run(Path file, DocBlocks.Block b) throws Exception {
        String where = b.where(file);
        if (b.output()) {
            for (String line : b.text().split("\n")) {
                if (!line.isBlank()) {
                    assertPrinted(where, line);
                }
            }
            return;
        }
        String script = rewrite(b.text());
        ProcessBuilder pb;
        switch (b.lang()) {
            case "sh", "bash", "shell" -> {
                for (String tool : new String[] {"jq", "openssl"}) {
                    if (script.contains(tool + " ")) {
                        assumeTrue(has(tool), where + " needs " + tool + ", which is not installed: skipped");
                    }
                }
                pb = new ProcessBuilder("bash", "-c", PRELUDE + script);
            }
            case "js", "javascript" -> {
                assumeTrue(has("node"), where + " needs node, which is not installed: skipped");
                Path js = Files.createTempFile(workDir, "doc-", ".js");
                Files.writeString(js, script);
                pb = new ProcessBuilder("node", "--experimental-websocket", "--no-warnings", js.toString());
            }
            default -> throw new AssertionError(where + ": cannot run a '" + b.lang() + "' block");
        }
        pb.directory(workDir.toFile()).redirectErrorStream(true).environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        boolean done = p.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as("%s did not finish within %d s; printed:%n%s", where, TIMEOUT_S, out).isTrue();
        assertThat(p.exitValue()).as("exit code of %s; printed:%n%s%nscript:%n%s", where, out, script).isZero();
        lastOutput = out;
        for (String line : b.expectedInComments()) {
            assertPrinted(where, line);
        }
    }

    private void assertPrinted(String where, String expectedLine) {
        Pattern re = DocBlocks.expected(expectedLine);
        assertThat(re.matcher(lastOutput).find())
                .as("%s shows %s, but the example printed:%n%s", where, expectedLine, lastOutput).isTrue();
    }
}
