package io.switchboard.core.model;

/** Bookkeeping of a stored document; times in epoch ms, {@code version} starts at 1. */
public record DocMeta(long created, long modified, long version, String modifiedBy) {
}
