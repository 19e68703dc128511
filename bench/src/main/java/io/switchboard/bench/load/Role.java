package io.switchboard.bench.load;

/** What a worker process does with its connections; driven by commands read from stdin. */
public interface Role {
    /** Opens {@code n} more connections and returns when each is ready or failed: {@code [ready, failed]}. */
    int[] add(int n) throws InterruptedException;

    /** Sets the send rate (messages/s for open-loop roles; >0 starts, 0 stops closed-loop roles). */
    void rate(double perSecond);

    /** Open connections now. */
    int open();

    void quit();
}
