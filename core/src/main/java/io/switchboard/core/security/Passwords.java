package io.switchboard.core.security;

import com.password4j.Argon2Function;
import com.password4j.BcryptFunction;
import com.password4j.types.Argon2;

/**
 * Password hashing: argon2id (OWASP parameters: 19 MiB, 2 passes, 1 lane) for everything this
 * server hashes; bcrypt hashes are accepted for import and verified as bcrypt, then replaced by
 * argon2id on the next successful login ({@link #needsRehash}). Nothing here logs a password.
 */
public final class Passwords {
    private static final Argon2Function ARGON2 = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
    /** Verified when the user does not exist, so a missing user costs the same time as a wrong password. */
    private static final String DUMMY = ARGON2.hash("not-a-password-" + System.nanoTime()).getResult();

    private Passwords() {
    }

    public static String hash(String password) {
        return ARGON2.hash(password).getResult();
    }

    /** True when {@code password} matches {@code hash} (argon2 or bcrypt); false on any malformed hash. */
    public static boolean verify(String password, String hash) {
        if (password == null) {
            return false;
        }
        if (hash == null) {
            ARGON2.check(password, DUMMY);
            return false;
        }
        try {
            if (isBcrypt(hash)) {
                return BcryptFunction.getInstanceFromHash(hash).check(password, hash);
            }
            if (hash.startsWith("$argon2")) {
                return Argon2Function.getInstanceFromHash(hash).check(password, hash);
            }
        } catch (RuntimeException e) {
            return false;
        }
        return false;
    }

    /** True for hashes that should be replaced by argon2id after a successful login. */
    public static boolean needsRehash(String hash) {
        return hash == null || !hash.startsWith("$argon2id$");
    }

    /** True for a hash that may be imported as is: bcrypt or argon2. */
    public static boolean isImportable(String hash) {
        return hash != null && (isBcrypt(hash) || hash.startsWith("$argon2"));
    }

    private static boolean isBcrypt(String hash) {
        return hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$");
    }
}
