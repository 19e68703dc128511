package io.switchboard.server.cli;

import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.config.ConfigException;
import io.switchboard.server.config.ConfigKeys;
import io.switchboard.server.config.ConfigLoader;
import io.switchboard.server.config.ServerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code switchboard serve [options]} and {@code switchboard version}. */
@Command(name = "switchboard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Switchboard real-time backend",
        subcommands = {Main.Serve.class, Main.PrintVersion.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /** Starts the server and runs until the process is stopped (SIGTERM closes gracefully). */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Start the server. Precedence: flag > env SWITCHBOARD_<KEY> > --config file > default.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
        Path config;

        @Option(names = "--port", paramLabel = "N", description = "http.port (default 8080)")
        String port;

        @Option(names = "--host", paramLabel = "ADDR", description = "http.host (default 0.0.0.0)")
        String host;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "data.dir (default ./data)")
        String dataDir;

        @Option(names = "--security-enabled", paramLabel = "BOOL", description = "security.enabled (true/false)")
        String securityEnabled;

        @Option(names = {"--set", "-D"}, paramLabel = "KEY=VALUE",
                description = "any configuration key, e.g. --set ws.heartbeatMs=10000 (repeatable)")
        Map<String, String> set = new LinkedHashMap<>();

        @Override
        public Integer call() throws InterruptedException {
            Map<String, String> flags = new LinkedHashMap<>(set);
            putIf(flags, ConfigKeys.HTTP_PORT, port);
            putIf(flags, ConfigKeys.HTTP_HOST, host);
            putIf(flags, ConfigKeys.DATA_DIR, dataDir);
            putIf(flags, ConfigKeys.SECURITY_ENABLED, securityEnabled);
            SwitchboardServer server;
            try {
                ServerConfig cfg = ConfigLoader.load(config, System.getenv(), flags);
                server = SwitchboardServer.start(cfg);
            } catch (ConfigException e) {
                System.err.println("switchboard: configuration error: " + e.getMessage());
                return 2;
            } catch (IllegalStateException e) {
                // Start-up failures (port taken, data dir unwritable) are the operator's to fix: one line, no trace.
                System.err.println("switchboard: cannot start: " + e.getMessage());
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "sb-shutdown"));
            stopped.await();
            return 0;
        }

        private static void putIf(Map<String, String> flags, String key, String value) {
            if (value != null) {
                flags.put(key, value);
            }
        }
    }

    @Command(name = "version", description = "Print the version")
    static final class PrintVersion implements Runnable {
        @Override
        public void run() {
            System.out.println(SwitchboardServer.version());
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"switchboard " + SwitchboardServer.version()};
        }
    }
}
