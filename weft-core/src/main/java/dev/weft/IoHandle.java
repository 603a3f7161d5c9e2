package dev.weft;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A non-blocking channel that tasks wait on through their loop's poller: one task may wait for it
 * to be readable while another waits for it to be writable (or connected). The channel is
 * registered with the poller of the run of the first task that waits, and moves to another run's
 * poller when a task of that run waits later (the old registration is dropped).
 *
 * <p>Everything but {@link #close} happens on the turn of the run the channel is registered with.
 */
final class IoHandle {
    private final SelectableChannel channel;
    /** The registration with {@link #poller}, or null. */
    private @Nullable SelectionKey key;
    private @Nullable IoPoller poller;
    private @Nullable Fiber<?> reader;
    private @Nullable Fiber<?> writer;

    /** A handle on {@code channel}, which must be in non-blocking mode. */
    public IoHandle(SelectableChannel channel) {
        if (Objects.requireNonNull(channel, "channel").isBlocking()) {
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
        Objects.requireNonNull(blocker, "blocker");
        Fiber<?> f = Waits.current("waiting for I/O");
        boolean read = op == SelectionKey.OP_READ;
        if (read ? reader != null : writer != null) {
            throw new IllegalStateException("another task already waits to " + (read ? "read from" : "write to")
                    + " this connection; one task at a time may read, and one may write");
        }
        f.checkCancelled();
        IoPoller p = f.sched.poller();
        SelectionKey k = key;
        if (poller != p || k == null || !k.isValid()) {
            k = moveTo(p);
        }
        int interest = k.interestOps();
        if ((interest & op) == 0) {
            k.interestOps(interest | op);
        }
        if (read) {
            reader = f;
        } else {
            writer = f;
        }
        p.waitBegins();
        try {
            f.suspend(read ? WaitReason.READ : op == SelectionKey.OP_CONNECT ? WaitReason.CONNECT : WaitReason.WRITE, blocker);
        } finally {
            p.waitEnds();
            if (read) {
                reader = null;
            } else {
                writer = null;
            }
        }
    }

    /** Registers with {@code p}, dropping a registration with another run's poller (its descriptor use is released there). */
    private SelectionKey moveTo(IoPoller p) throws IOException {
        SelectionKey old = key;
        IoPoller from = poller;
        if (old != null && from != null && from != p) {
            old.cancel();
            from.post(() -> from.flush(old));
        }
        SelectionKey k = p.register(channel, this);
        key = k;
        poller = p;
        return k;
    }

    /** The poller found the channel ready for {@code ops}: wakes who waits for them, drops interest in the rest. */
    void ready(SelectionKey k, int ops) {
        if (k != key) { // a registration left behind by a move to another run's poller
            k.cancel();
            return;
        }
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
     * Closes the channel and releases its descriptor as soon as its poller has dropped it (a
     * registered channel's descriptor is otherwise released only at that poller's next poll): at once
     * on the turn of the run it is registered with, else at that run's next switch (a channel moved
     * from another run is dropped by that run, likewise). Tasks waiting on it wake and find it closed.
     * From any thread.
     */
    public void close() throws IOException {
        IoPoller p = poller;
        try {
            channel.close();
        } finally {
            if (p != null) {
                if (p.sched.holdsTurn()) {
                    release();
                } else {
                    p.post(this::release);
                }
            }
        }
    }

    /** After the channel was closed: drops the registration, releases the descriptor, wakes the waiters. On the turn. */
    private void release() {
        SelectionKey k = key;
        IoPoller p = poller;
        key = null;
        if (k != null && p != null) { // a key is made by a poller
            k.cancel();
            p.flush(k);
        }
        wake(reader);
        wake(writer);
    }

    private static void wake(@Nullable Fiber<?> f) {
        if (f != null) {
            f.sched.wake(f);
        }
    }
}
