package io.switchboard.core;

import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Assertions on catalogue errors, shared by the tests of every module. */
public final class TestErrors {
    private TestErrors() {
    }

    /** {@code r} fails with BAD_REQUEST whose message contains {@code messagePart}. */
    public static void assertBad(Runnable r, String messagePart) {
        assertCode(r, ErrorCode.BAD_REQUEST, messagePart);
    }

    public static void assertCode(Runnable r, ErrorCode code, String messagePart) {
        assertThatThrownBy(r::run).isInstanceOf(SwitchboardException.class)
                .satisfies(e -> assertThat(((SwitchboardException) e).code()).isEqualTo(code))
                .hasMessageContaining(messagePart);
    }
}
