package io.switchboard.core.engine;

import java.security.SecureRandom;

/** Random, unguessable identifiers for sessions and events. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private Ids() {
    }

    /** {@code length} characters of base-36 randomness (20 ≈ 103 bits). */
    public static String random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[(bytes[i] & 0xff) % ALPHABET.length];
        }
        return new String(out);
    }
}
