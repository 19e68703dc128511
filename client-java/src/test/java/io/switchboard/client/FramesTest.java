package io.switchboard.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FramesTest {
    @Test
    void oneMessage() {
        assertThat(Frames.split("{\"id\":1}")).containsExactly("{\"id\":1}");
    }

    @Test
    void batchedMessagesInOrder() {
        assertThat(Frames.split("{\"a\":1}\n{\"b\":2}\n{\"c\":3}")).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
    }

    @Test
    void trailingNewlineBlankLinesAndCrlfIgnored() {
        assertThat(Frames.split("{\"a\":1}\r\n\n  \n{\"b\":2}\n")).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(Frames.split("")).isEmpty();
    }

    @Test
    void escapedNewlineInsideStringIsNotASeparator() {
        // JSON encodes a newline inside a string as \n (two characters), never a raw newline.
        assertThat(Frames.split("{\"s\":\"x\\ny\"}")).containsExactly("{\"s\":\"x\\ny\"}");
    }
}
