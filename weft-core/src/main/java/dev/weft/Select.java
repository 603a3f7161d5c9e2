package dev.weft;

import dev.weft.internal.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Waits for the first of several channel operations, or a timeout, and does exactly that one
 * (Kotlin's {@code select}, Go's {@code select}); asyncio has no equivalent.
 *
 * <pre>{@code
 * String what = Select.select(
 *         orders.onReceive(o -> "order " + o.id()),
 *         alerts.onSend(alert, () -> "alert sent"),
 *         Select.onTimeout(Duration.ofSeconds(1), () -> "idle"));
 * }</pre>
 *
 * <p>Exactly one clause happens: one item is received or sent, on one channel, and the others are
 * left as they were; its function then runs in the selecting task and gives the result. When several
 * clauses can happen at once, the first listed wins (the select is biased, as Kotlin's {@code select}
 * and Jox's; list the clauses in a varying order if that matters). A timeout of zero or less makes
 * the select not wait at all: the timeout clause happens if no other can at once. One select may not
 * both send to and receive from the same rendezvous channel (it could only meet itself).
 *
 * <p>Closed channels: an {@link Channel#onReceive} or {@link Channel#onSend} clause on a closed
 * channel makes the select throw {@link ChannelClosedException}; {@link Channel#onReceiveOrClosed}
 * yields the closing as a value instead. Cancellation and timeouts: a select is a cancellation point
 * even when it need not wait; cancelled while waiting, none of its clauses happened (a receive that
 * was handed an item before the cancellation gives it back, as {@link Channel#receive} does; a send
 * whose item was taken counts as done). Must be called from a task of the loop that uses the
 * channels.
 */
public final class Select {
    private Select() {}

    /**
     * Waits until one of {@code clauses} can happen, does it, and returns its function's result.
     *
     * @throws IllegalArgumentException if there are no clauses or more than one timeout
     * @throws ChannelClosedException if the clause that happened is a receive or send on a closed
     *     channel (not an {@link Channel#onReceiveOrClosed})
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or given out
    public static <R> R select(Clause<? extends R>... clauses) {
        Objects.requireNonNull(clauses, "clauses");
        Fiber<?> f = Waits.current("Select.select");
        Clause.Timeout<? extends R> timeout = null;
        for (Clause<? extends R> c : clauses) {
            Objects.requireNonNull(c, "Select.select: a clause is null");
            if (c instanceof Clause.Timeout<? extends R> t) {
                if (timeout != null) {
                    throw new IllegalArgumentException("Select.select: more than one onTimeout clause");
                }
                timeout = t;
            } else {
                c.enter();
            }
        }
        if (clauses.length == 0) {
            throw new IllegalArgumentException("Select.select needs at least one clause");
        }
        checkNotBothWays(clauses);
        f.checkCancelled();
        long deadline = timeout == null ? Long.MAX_VALUE : Durations.deadline(f.scheduler().now(), timeout.nanos);
        Waiting waiting = new Waiting(clauses);
        for (;;) {
            for (Clause<? extends R> c : clauses) {
                Object raw = c.tryNow();
                if (raw != null) {
                    return c.complete(raw);
                }
            }
            if (timeout != null && f.scheduler().now() >= deadline) {
                return timeout.complete(null);
            }
            ParkingLot.@Nullable Waiter[] waiters = new ParkingLot.Waiter[clauses.length];
            try {
                for (int i = 0; i < clauses.length; i++) {
                    waiters[i] = clauses[i].register(f);
                }
                Waits.suspendUntil(f, WaitReason.CHANNEL, waiting, deadline);
            } finally {
                for (ParkingLot.Waiter w : waiters) {
                    if (w != null) {
                        w.leave();
                    }
                }
            }
            for (ParkingLot.Waiter w : waiters) {
                if (w != null && w.claimed()) {
                    @SuppressWarnings("unchecked")
                    Clause<? extends R> won = (Clause<? extends R>) Objects.requireNonNull(w.tag(), "tagged with its clause");
                    if (f.cancelPending() && won.giveBack(w)) {
                        f.checkCancelled(); // cancelled before it ran again: as a receive, it takes nothing
                    }
                    return won.complete(won.claimed(w));
                }
            }
        }
    }

    /** A select cannot meet itself: sending to and receiving from one rendezvous channel is refused. */
    private static void checkNotBothWays(Clause<?>[] clauses) {
        for (Clause<?> send : clauses) {
            Channel<?> ch = send.channel;
            if (send instanceof Clause.Send<?, ?> && ch != null && ch.isRendezvous()) {
                for (Clause<?> receive : clauses) {
                    if (receive instanceof Clause.Receive<?, ?> && receive.channel == ch) {
                        throw new IllegalArgumentException("Select.select: one select both sends to and receives"
                                + " from " + send.channel + "; a rendezvous needs two tasks, so it could never"
                                + " pair with itself: select the two directions in different tasks");
                    }
                }
            }
        }
    }

    /**
     * A clause that happens when {@code timeout} has passed on the loop clock and no other clause
     * has happened; its result is what {@code then} supplies. A zero or negative timeout has passed
     * at once: the select takes a clause that is ready without waiting, else this one.
     */
    public static <R> Clause<R> onTimeout(Duration timeout, Supplier<? extends R> then) {
        Objects.requireNonNull(timeout, "timeout");
        return new Clause.Timeout<>(Durations.toNanos(timeout), Objects.requireNonNull(then, "then"));
    }

    /** What a waiting select waits for, for reports. */
    @SuppressWarnings("ArrayRecordComponent") // never compared or hashed: only printed in reports
    private record Waiting(Clause<?>[] clauses) {
        @Override
        public String toString() {
            return "a select of " + Arrays.toString(clauses);
        }
    }
}
