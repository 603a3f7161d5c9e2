package dev.weft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The readiness poller of one run (asyncio's selector): tasks waiting for a non-blocking channel
 * suspend on its {@link IoHandle}, and whoever holds the turn polls the selector and makes them
 * ready. While tasks run, the turn holder polls without waiting once every task that was ready at
 * the last poll has had a turn (asyncio's loop iteration); when no task is ready, the driver waits in
 * the selector, and other threads wake it with {@link #wakeup}. Everything but {@code wakeup} is
 * called on the turn.
 *
 * <p>Interest is dropped lazily: a task woken for a readable channel usually reads and waits again
 * before the next poll, so its interest stays registered (no system call per wait); an interest is
 * removed only when the selector reports it and nobody waits for it.
 */
final class IoPoller {
    final Scheduler sched;
    private final Selector selector;
    /** Tasks suspended on a handle of this poller. */
    private int waiting;
    /** Turns left until the next poll while tasks are ready. */
    private int countdown;

    IoPoller(Scheduler sched) {
        this.sched = sched;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the loop's I/O", e);
        }
    }

    SelectionKey register(SelectableChannel channel, IoHandle handle) throws IOException {
        return channel.register(selector, 0, handle);
    }

    /** Releases the descriptor of a channel whose key here was cancelled (if still open): polls once. On the turn. */
    void flush(SelectionKey cancelled) {
        if (cancelled.selector() == selector && selector.isOpen()) {
            poll(0);
        }
    }

    /**
     * Runs {@code action} on this run's turn (from any thread); nothing if the run has ended, whose
     * closed selector released everything.
     */
    void post(Runnable action) {
        if (selector.isOpen()) {
            sched.post(() -> {
                if (selector.isOpen()) {
                    action.run();
                }
            });
        }
    }

    boolean hasWaiters() {
        return waiting > 0;
    }

    void waitBegins() {
        waiting++;
        sched.beginExternalWait();
    }

    void waitEnds() {
        waiting--;
        sched.endExternalWait();
    }

    /** Polls without waiting if tasks wait for I/O and it is time to: none is ready, or a round is over. */
    void pollIfDue(int ready) {
        if (waiting > 0 && (ready == 0 || --countdown <= 0)) {
            poll(0);
            countdown = ready + 1;
        }
    }

    /**
     * Waits up to {@code nanos} ({@code Long.MAX_VALUE}: no limit; 0: not at all) for a channel to
     * become ready or for {@link #wakeup}, and makes the tasks waiting for the ready channels ready.
     */
    void poll(long nanos) {
        try {
            if (nanos == 0) {
                selector.selectNow(this::ready);
            } else if (nanos == Long.MAX_VALUE) {
                selector.select(this::ready);
            } else {
                long millis = nanos / 1_000_000 + (nanos % 1_000_000 == 0 ? 0 : 1); // rounded up, without overflow
                selector.select(this::ready, Math.max(1, millis));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the loop's selector failed", e);
        }
    }

    private void ready(SelectionKey key) {
        if (key.isValid()) {
            ((IoHandle) key.attachment()).ready(key, key.readyOps());
        }
    }

    /** Ends a wait of the driver in {@link #poll}, or makes the next one return at once. From any thread. */
    void wakeup() {
        try {
            selector.wakeup();
        } catch (ClosedSelectorException e) {
            // the run has ended: nobody waits
        }
    }

    /** Closes the selector at the end of the run; channels still open stay open. */
    void close() {
        try {
            selector.close();
        } catch (IOException e) {
            sched.reporter().report(System.Logger.Level.WARNING, "closing the loop's selector failed", e);
        }
    }
}
