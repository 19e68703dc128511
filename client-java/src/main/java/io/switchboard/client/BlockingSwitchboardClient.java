package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.client.ClientSubscription;
import io.switchboard.core.client.EventListener;
import io.switchboard.core.client.SwitchboardClient;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Document;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Synchronous facade over any {@link SwitchboardClient} (network or in-process): each method
 * waits for the reply and throws the {@link SwitchboardException} the future failed with, not an
 * {@link ExecutionException}. The asynchronous client keeps its own request timeout, so these
 * calls do not wait forever. Closing the facade closes the wrapped client.
 */
public final class BlockingSwitchboardClient implements AutoCloseable {
    private final SwitchboardClient client;

    public BlockingSwitchboardClient(SwitchboardClient client) {
        this.client = client;
    }

    /** The wrapped asynchronous client. */
    public SwitchboardClient async() {
        return client;
    }

    public JsonNode request(String op, ObjectNode fields) {
        return await(client.request(op, fields));
    }

    public Document get(String path) {
        return await(client.get(path));
    }

    public SwitchboardClient.Page query(String pattern, ObjectNode options) {
        return await(client.query(pattern, options));
    }

    public long count(String pattern, JsonNode criteria) {
        return await(client.count(pattern, criteria));
    }

    public SwitchboardClient.SetResult set(String path, JsonNode data) {
        return await(client.set(path, data));
    }

    public SwitchboardClient.SetResult set(String path, JsonNode data, ObjectNode options) {
        return await(client.set(path, data, options));
    }

    public SwitchboardClient.SetResult merge(String path, JsonNode data) {
        return await(client.merge(path, data));
    }

    /** The field's new value after adding {@code by} (see {@link SwitchboardClient#increment}). */
    public JsonNode increment(String path, String field, Number by) {
        return await(client.increment(path, field, by));
    }

    public long remove(String pathOrPattern) {
        return await(client.remove(pathOrPattern));
    }

    public SwitchboardClient.PublishResult publish(String path, JsonNode data) {
        return await(client.publish(path, data));
    }

    public SwitchboardClient.PublishResult publish(String path, JsonNode data, ObjectNode options) {
        return await(client.publish(path, data, options));
    }

    public void cancel(String eventId) {
        await(client.cancel(eventId));
    }

    public JsonNode history(String pattern, ObjectNode options) {
        return await(client.history(pattern, options));
    }

    public ClientSubscription subscribe(String pattern, ObjectNode options, EventListener listener) {
        return await(client.subscribe(pattern, options, listener));
    }

    public void unsubscribe(ClientSubscription subscription) {
        await(subscription.unsubscribe());
    }

    @Override
    public void close() {
        client.close();
    }

    /** Waits for {@code f}, rethrowing its failure as the catalogue error it carries. */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw SwitchboardException.of(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SwitchboardException.unavailable("interrupted while waiting for the reply", e);
        }
    }
}
