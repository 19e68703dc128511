package io.switchboard.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;

/** The shared Jackson mapper and small helpers for the tree model. */
public final class Json {
    /** Deepest nesting any JSON text may have to be read at all. */
    public static final int READ_DEPTH = 1000;

    /** Thread-safe once configured; never reconfigure after start-up. */
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            // The reader stops hostile nesting early; the request limit (InputLimits) is lower still.
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(READ_DEPTH).build())
            // Replies wrap stored data in a few levels of envelope: writing must never fail
            // on data the reader accepted (a failed write was a reply lost).
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(2 * READ_DEPTH).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Client text is read with floats exact first, so a number no double holds is seen (see
     * {@link ClientNumbers}) instead of becoming Infinity or 0.
     */
    private static final com.fasterxml.jackson.databind.ObjectReader CLIENT = MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).with(ClientNumbers.FACTORY);

    /**
     * Parses client JSON text; malformed text is the caller's {@code BAD_REQUEST}. Numbers out of
     * range come back as nodes {@link JsonText#requireWellFormed} refuses.
     */
    public static JsonNode parse(String text) throws JsonProcessingException {
        try {
            return CLIENT.readTree(text);
        } catch (NumberFormatException e) {
            // An exponent beyond what BigDecimal holds (1E+2147483648) fails outside Jackson's own
            // exceptions; to the client it is unreadable text like any other.
            throw new com.fasterxml.jackson.core.JsonParseException(null, "number out of range: " + e.getMessage());
        }
    }

    /** What was wrong with unreadable client text, for a {@code BAD_REQUEST} naming the field. */
    public static String problem(JsonProcessingException e) {
        return e instanceof StreamConstraintsException
                ? "nests too deeply or is too large to read (" + e.getOriginalMessage() + ")"
                : "is not valid JSON";
    }

    /** Parses JSON text this system wrote itself (stored data); a failure is a bug. */
    public static JsonNode parseTrusted(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code s} as a JSON string literal, quotes included. For the hot path, where running the
     * object mapper to quote a short id cost half of building a push (measured).
     */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
