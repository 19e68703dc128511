package io.switchboard.core.store.memory;

import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What a {@link MemoryStore} holds: documents, the event log, scheduled publishes and the log's
 * epoch. It outlives a store, so closing a store and opening a new one on the same data behaves
 * like a restart of a durable store (tests rely on that); it never touches a disk.
 */
public final class MemoryData {
    final String epoch = UUID.randomUUID().toString();
    final TreeMap<String, Document> documents = new TreeMap<>();
    final TreeMap<Long, Event> events = new TreeMap<>();
    /** Scheduled publishes by id. */
    final Map<String, Scheduled> scheduled = new HashMap<>();
    /** The offset of every logged event that has an id, for "already fired" answers. */
    final Map<String, Long> eventIds = new HashMap<>();
    long lastOffset;
    /** Writers hold the write lock while they apply a batch; reads hold the read lock. */
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** A publish waiting for its time. */
    record Scheduled(String id, String path, com.fasterxml.jackson.databind.JsonNode data,
                     com.fasterxml.jackson.databind.node.ObjectNode meta, String by, long at) { }
}
