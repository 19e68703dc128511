package io.switchboard.core.store.memory;

import io.switchboard.core.store.Store;
import io.switchboard.core.store.StoreContract;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The store contract on {@link MemoryStore}; a folder stands for the data a restart keeps. */
class MemoryStoreTest extends StoreContract {
    private static final Map<Path, MemoryData> DATA = new ConcurrentHashMap<>();

    @Override
    protected Store openStore(Path dir) {
        return new MemoryStore(DATA.computeIfAbsent(dir, d -> new MemoryData()));
    }
}
