package io.switchboard.core.json;

import io.switchboard.core.error.SwitchboardException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8: bytes that are not UTF-8 (a stray {@code 0xff}, an overlong {@code c0 ae}, an
 * encoded surrogate {@code ed a0 80}, a cut sequence) are refused, never replaced with U+FFFD —
 * a replaced byte would make two different inputs the same text.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** {@code bytes} as text; {@code BAD_REQUEST} naming {@code field} when they are not UTF-8. */
    public static String decode(ByteBuffer bytes, String field) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw SwitchboardException.badRequest(field, "is not valid UTF-8");
        }
    }

    public static String decode(byte[] bytes, String field) {
        return decode(ByteBuffer.wrap(bytes), field);
    }
}
