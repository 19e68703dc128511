package io.switchboard.core.query;

import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;

/**
 * The bytes a reply may carry ({@code limits.maxReplyBytes}), spent row by row as a store
 * builds a page, so a page is bounded before it is in memory. Every store measures the same way
 * ({@link Query#maxBytes()}, {@link HistoryQuery#maxBytes()}). Sizes are the UTF-8 length of
 * the stored JSON plus a fixed allowance per row for the envelope (path, meta, offsets).
 */
public final class ReplyBudget {
    /** Per-row bytes besides the stored JSON: keys, meta, numbers, separators. */
    public static final int ROW_OVERHEAD = 160;

    private final long max;
    private long used;

    /** {@code max} 0 = unbounded. */
    public ReplyBudget(long max) {
        this.max = max;
    }

    /** True when a row of {@code parts} still fits (always for the first row: a page makes progress). */
    public boolean fits(boolean first, String... parts) {
        long size = ROW_OVERHEAD;
        for (String p : parts) {
            size += utf8Length(p);
        }
        if (max > 0 && !first && used + size > max) {
            return false;
        }
        used += size;
        return true;
    }

    /** Like {@link #fits}, but a row that does not fit fails the whole read. */
    public void spend(String... parts) {
        if (!fits(false, parts)) {
            throw new SwitchboardException(ErrorCode.PAYLOAD_TOO_LARGE, "the reply would exceed limits.maxReplyBytes ("
                    + max + " bytes); ask for fewer documents (limit, skip), fewer fields (fields, pathsOnly) or a narrower path");
        }
    }

    public static long utf8Length(String s) {
        if (s == null) {
            return 0;
        }
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }
}
