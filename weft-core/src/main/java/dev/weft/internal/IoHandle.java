package dev.weft.internal;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * A non-blocking channel that tasks wait on through their loop's poller: one task may wait for it
 * to be readable while another waits for it to be writable (or connected). The channel is
 * registered with the poller of the run of the first task that waits, and again with another run's
 * if a task of that run waits later.
 */
public final class IoHandle {
    private final SelectableChannel channel;
    private SelectionKey key;
    private Fiber<?> reader;
    private Fiber<?> writer;

    /** A handle on {@code channel}, which must be in non-blocking mode. */
    public IoHandle(SelectableChannel channel) {
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be in non-blocking mode");
        }
        this.channel = channel;
    }

    /**
     * Suspends the current task until the channel is readable ({@link SelectionKey#OP_READ}), or
     * writable or connected ({@link SelectionKey#OP_WRITE}, {@link SelectionKey#OP_CONNECT}), or the
     * handle is closed. A suspension point: a cancellation ends the wait at once.
     *
     * @throws IllegalStateException if another task already waits for the same readiness
     */
    public void await(int op, Object blocker) throws IOException {
        Fiber<?> f = Waits.current("waiting for I/O");
        IoPoller p = f.sched.poller();
        if (key == null || !key.isValid() || !p.owns(key)) {
            key = p.register(channel, this);
        }
        boolean read = op == SelectionKey.OP_READ;
        if (read ? reader != null : writer != null) {
            throw new IllegalStateException("another task already waits to " + (read ? "read from" : "write to")
                    + " this connection; one task at a time may read, and one may write");
        }
        f.checkCancelled();
        int interest = key.interestOps();
        if ((interest & op) == 0) {
            key.interestOps(interest | op);
        }
        if (read) {
            reader = f;
        } else {
            writer = f;
        }
        p.waitBegins();
        try {
            f.suspend(blocker);
        } finally {
            p.waitEnds();
            if (read) {
                reader = null;
            } else {
                writer = null;
            }
        }
    }

    /** The poller found the channel ready for {@code ops}: wakes who waits for them, drops interest in the rest. */
    void ready(SelectionKey k, int ops) {
        int wanted = 0;
        if (reader != null) {
            wanted = SelectionKey.OP_READ;
            if ((ops & SelectionKey.OP_READ) != 0) {
                reader.sched.wake(reader);
            }
        }
        if (writer != null) {
            wanted |= SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;
            if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
                writer.sched.wake(writer);
            }
        }
        if ((ops & ~wanted) != 0) { // ready for what nobody waits for: stop asking
            k.interestOps(k.interestOps() & wanted);
        }
    }

    /**
     * Closes the channel and releases its descriptor at once (a registered channel's descriptor is
     * otherwise released only at the poller's next poll); tasks waiting on it wake and find it
     * closed. From a task of the loop or after the loop's run.
     */
    public void close() throws IOException {
        SelectionKey k = key;
        key = null;
        if (k != null) {
            k.cancel();
        }
        try {
            channel.close();
        } finally {
            wake(reader);
            wake(writer);
            Fiber<?> f = Fiber.current();
            if (k != null && f != null && f.sched.holdsTurn()) {
                f.sched.poller().flush(k);
            }
        }
    }

    private static void wake(Fiber<?> f) {
        if (f != null) {
            f.sched.wake(f);
        }
    }
}
