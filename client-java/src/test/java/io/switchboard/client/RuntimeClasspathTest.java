package io.switchboard.client;

import io.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client needs none of the server-side libraries of core. The test classpath cannot show
 * it (the real server of the tests needs them), so this runs the client in a class loader of its
 * own, built from the runtime classpath Maven resolved for this module (written by the
 * dependency plugin at {@code generate-test-resources}) and the module's classes, with only the
 * JDK as parent. There {@link RuntimeClasspathProbe} drives every part of the client against a
 * real server; a class of those libraries would fail with {@code NoClassDefFoundError}, and the
 * loader also records every class asked of it, so a failed look-up that some code swallowed
 * still shows. The pom's enforcer rule guards the declared dependencies; this guards the code.
 */
class RuntimeClasspathTest {
    /** Marker classes of nimbus-jose-jwt, password4j and Caffeine. */
    private static final List<String> SERVER_CLASSES = List.of("com.nimbusds.jose.JWSObject",
            "com.password4j.Password", "com.github.benmanes.caffeine.cache.Caffeine");
    private static final List<String> SERVER_PACKAGES = List.of("com.nimbusds.", "com.password4j.",
            "com.github.benmanes.caffeine.");

    @TempDir
    Path dir;

    @Test
    void runtimeClasspathHoldsNoServerLibrary() throws IOException {
        List<String> entries = runtimeClasspath();
        assertThat(entries).as("sanity: the file lists the client's real dependencies")
                .anyMatch(e -> fileName(e).startsWith("switchboard-core"))
                .anyMatch(e -> fileName(e).startsWith("jackson-databind"))
                .anyMatch(e -> fileName(e).startsWith("netty-codec-http"));
        assertThat(entries).noneMatch(e -> fileName(e).startsWith("nimbus-jose-jwt")
                || fileName(e).startsWith("password4j") || fileName(e).startsWith("caffeine"));
    }

    @Test
    void clientWorksWithoutServerLibraries() throws Exception {
        for (String name : SERVER_CLASSES) {
            // Control: they are here for the test server, so their absence below is the loader's doing.
            assertThat(Class.forName(name, false, getClass().getClassLoader())).isNotNull();
        }
        try (SwitchboardServer server = TestServers.start(dir, 0);
             RecordingLoader loader = new RecordingLoader(isolatedClasspath())) {
            for (String name : SERVER_CLASSES) {
                assertThatThrownBy(() -> Class.forName(name, false, loader)).isInstanceOf(ClassNotFoundException.class);
            }
            loader.requested.clear();

            Class<?> probe = Class.forName(RuntimeClasspathProbe.class.getName(), true, loader);
            assertThat(probe.getClassLoader()).as("the probe and the client run in the isolated loader").isSameAs(loader);
            String steps;
            try {
                steps = (String) probe.getMethod("run", int.class).invoke(null, server.port());
            } catch (InvocationTargetException e) {
                throw new AssertionError("the client failed on its own runtime classpath", e.getCause());
            }

            assertThat(steps).isEqualTo("connect documents errors pushes reconnect close");
            assertThat(loader.requested).as("classes the client asked for").noneMatch(
                    n -> SERVER_PACKAGES.stream().anyMatch(n::startsWith));
            assertThat(loader.requested).as("sanity: the recording saw the client load core")
                    .contains("io.switchboard.core.client.WireEvents");
        }
    }

    private static List<String> runtimeClasspath() throws IOException {
        String file = property("switchboard.client.runtimeClasspath");
        String text = Files.readString(Path.of(file)).strip();
        List<String> entries = new ArrayList<>();
        for (String e : text.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(e);
            }
        }
        return entries;
    }

    /** The module's classes (main, and test for the probe), then its runtime dependencies. */
    private static URL[] isolatedClasspath() throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(url(property("switchboard.client.classes")));
        urls.add(url(property("switchboard.client.testClasses")));
        for (String e : runtimeClasspath()) {
            urls.add(url(e));
        }
        return urls.toArray(URL[]::new);
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        assertThat(v).as("system property %s, set by the surefire configuration in client-java/pom.xml", name)
                .isNotBlank();
        return v;
    }

    private static URL url(String path) throws MalformedURLException {
        return Path.of(path).toUri().toURL();
    }

    private static String fileName(String path) {
        return Path.of(path).getFileName().toString();
    }

    /** A loader that sees only its URLs and the JDK, and remembers every class name asked of it. */
    private static final class RecordingLoader extends URLClassLoader {
        final Set<String> requested = ConcurrentHashMap.newKeySet();

        RecordingLoader(URL[] urls) {
            super("client-runtime", urls, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            return super.loadClass(name, resolve);
        }
    }
}
