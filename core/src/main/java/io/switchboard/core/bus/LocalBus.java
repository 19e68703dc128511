package io.switchboard.core.bus;

import java.util.List;

/**
 * The single-node bus: a publish hands the batch straight to this node's receiver on the
 * calling thread. No copy, no serialization, no queue: today's single-node cost.
 */
public final class LocalBus implements Bus {
    private volatile Receiver receiver = NONE;

    private static final Receiver NONE = new Receiver() {
        @Override
        public void accept(List<Envelope> batch) {
        }

        @Override
        public void hint(long headOffset) {
        }
    };

    @Override
    public String name() {
        return "local";
    }

    @Override
    public void start(Receiver receiver) {
        this.receiver = receiver;
    }

    @Override
    public void publish(List<Envelope> batch) {
        receiver.accept(batch);
    }

    @Override
    public boolean isHealthy() {
        return true;
    }

    @Override
    public void close() {
        receiver = NONE;
    }
}
