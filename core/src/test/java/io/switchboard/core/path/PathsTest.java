package io.switchboard.core.path;

import org.junit.jupiter.api.Test;

import static io.switchboard.core.TestErrors.assertBad;
import static org.assertj.core.api.Assertions.assertThat;

class PathsTest {
    @Test
    void normalizesSlashes() {
        assertThat(Paths.normalize("a/b", "path")).isEqualTo("/a/b");
        assertThat(Paths.normalize("/a//b/", "path")).isEqualTo("/a/b");
        assertThat(Paths.normalize("///", "path")).isEqualTo("/");
        assertThat(Paths.normalize("/ü/日本", "path")).isEqualTo("/ü/日本");
    }

    @Test
    void rejectsControlCharactersAndDotSegments() {
        assertBad(() -> Paths.normalize("/a\u0000b", "path"), "'path'");
        assertBad(() -> Paths.normalize("/a/../b", "path"), "'path'");
        assertBad(() -> Paths.normalize("/a/./b", "path"), "'path'");
        assertBad(() -> Paths.normalize(null, "path"), "is required");
    }

    @Test
    void rejectsOverlongPaths() {
        String ok = "/" + "a".repeat(Paths.MAX_BYTES - 1);
        assertThat(Paths.normalize(ok, "path")).hasSize(Paths.MAX_BYTES);
        assertBad(() -> Paths.normalize(ok + "b", "path"), "1024 bytes");
        // Multi-byte characters count in bytes, not chars.
        assertBad(() -> Paths.normalize("/" + "é".repeat(600), "path"), "1024 bytes");
    }

    @Test
    void writtenPathsHaveNoWildcards() {
        assertThat(Paths.writable("a/b", "path")).isEqualTo("/a/b");
        assertBad(() -> Paths.writable("/a/*", "path"), "'*'");
        assertBad(() -> Paths.writable("/a/b*c", "path"), "'*'");
        assertBad(() -> Paths.writable("/a/{id}", "path"), "binding");
        assertBad(() -> Paths.writable("/", "path"), "root");
    }

    @Test
    void depthAndSegments() {
        assertThat(Paths.depth("/")).isZero();
        assertThat(Paths.depth("/a/b/c")).isEqualTo(3);
        assertThat(Paths.segments("/a/b")).containsExactly("a", "b");
        assertThat(Paths.isPattern("/a/*")).isTrue();
        assertThat(Paths.isPattern("/a/{x}")).isTrue();
        assertThat(Paths.isPattern("/a/b")).isFalse();
    }
}
