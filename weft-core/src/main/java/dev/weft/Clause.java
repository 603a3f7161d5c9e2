package dev.weft;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One of the alternatives of a {@link Select}: a channel operation made by
 * {@link Channel#onReceive}, {@link Channel#onReceiveOrClosed} or {@link Channel#onSend}, or a
 * timeout made by {@link Select#onTimeout}. A clause yields the select's result of type {@code R}.
 * It describes an operation and does nothing by itself; it may be used in several selects.
 */
public abstract sealed class Clause<R> permits Clause.Receive, Clause.Send, Clause.Timeout {
    /** The channel of the operation; null for a timeout. */
    final @Nullable Channel<?> channel;

    Clause(@Nullable Channel<?> channel) {
        this.channel = channel;
    }

    /** Checks the clause may be used by the current task (its channel belongs to this loop). */
    final void enter() {
        Channel<?> c = channel;
        if (c != null) {
            c.enter("Select.select");
        }
    }

    /** Does the operation if it needs no waiting: the raw result, or null if it would wait. */
    abstract @Nullable Object tryNow();

    /** Enqueues the current task to wait for the operation, tagged with this clause; null for a timeout. */
    abstract ParkingLot.@Nullable Waiter register(Fiber<?> f);

    /** The raw result of a waiter of this clause that was claimed. */
    abstract @Nullable Object claimed(ParkingLot.Waiter w);

    /**
     * Gives back what a claimed waiter of this clause was handed, for a select cancelled before it ran
     * again; returns false if there is nothing to give back (a send stays sent).
     */
    abstract boolean giveBack(ParkingLot.Waiter w);

    /** The select's result from the raw result of the operation. */
    abstract R complete(@Nullable Object raw);

    /** Receives from a channel. */
    static final class Receive<E, R> extends Clause<R> {
        private final Channel<E> from;
        private final boolean orClosed;
        private final Function<?, ? extends R> then;

        Receive(Channel<E> from, boolean orClosed, Function<?, ? extends R> then) {
            super(from);
            this.from = from;
            this.orClosed = orClosed;
            this.then = then;
        }

        @Override
        @Nullable Object tryNow() {
            return from.receiveNow();
        }

        @Override
        ParkingLot.Waiter register(Fiber<?> f) {
            return from.waitToReceive(f, this);
        }

        @Override
        @Nullable Object claimed(ParkingLot.Waiter w) {
            return from.takeClaimed(w);
        }

        @Override
        boolean giveBack(ParkingLot.Waiter w) {
            from.passOn(w);
            return true;
        }

        @Override
        @SuppressWarnings("unchecked")
        R complete(@Nullable Object raw) {
            Object r = Objects.requireNonNull(raw, "a receive yields an item or the closing");
            if (orClosed) {
                return ((Function<Received<E>, ? extends R>) then).apply(from.received(r));
            }
            if (r instanceof Channel.Closing c) {
                throw c.exception("Select.select (receive)");
            }
            return ((Function<E, ? extends R>) then).apply((E) r);
        }

        @Override
        public String toString() {
            return "receive from " + from;
        }
    }

    /** Sends to a channel. */
    static final class Send<E, R> extends Clause<R> {
        private final Channel<E> to;
        private final E item;
        private final Supplier<? extends R> then;

        Send(Channel<E> to, E item, Supplier<? extends R> then) {
            super(to);
            this.to = to;
            this.item = item;
            this.then = then;
        }

        @Override
        @Nullable Object tryNow() {
            return to.sendNow(item);
        }

        @Override
        ParkingLot.Waiter register(Fiber<?> f) {
            return to.waitToSend(f, item, this);
        }

        @Override
        @Nullable Object claimed(ParkingLot.Waiter w) {
            return Channel.sent(w);
        }

        @Override
        boolean giveBack(ParkingLot.Waiter w) {
            return false;
        }

        @Override
        R complete(@Nullable Object raw) {
            if (raw instanceof Channel.Closing c) {
                throw c.exception("Select.select (send)");
            }
            return then.get();
        }

        @Override
        public String toString() {
            return "send to " + to;
        }
    }

    /** Gives up waiting after a while. */
    static final class Timeout<R> extends Clause<R> {
        final long nanos;
        private final Supplier<? extends R> then;

        Timeout(long nanos, Supplier<? extends R> then) {
            super(null);
            this.nanos = nanos;
            this.then = then;
        }

        @Override
        @Nullable Object tryNow() {
            return null;
        }

        @Override
        ParkingLot.@Nullable Waiter register(Fiber<?> f) {
            return null;
        }

        @Override
        @Nullable Object claimed(ParkingLot.Waiter w) {
            throw new AssertionError("a timeout clause has no waiter");
        }

        @Override
        boolean giveBack(ParkingLot.Waiter w) {
            throw new AssertionError("a timeout clause has no waiter");
        }

        @Override
        R complete(@Nullable Object raw) {
            return then.get();
        }

        @Override
        public String toString() {
            return "a timeout";
        }
    }
}
