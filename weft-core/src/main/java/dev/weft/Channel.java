package dev.weft;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A channel between the tasks of one loop (Kotlin's, Go's, trio's memory channels): senders
 * {@link #send} items, receivers {@link #receive} them, each exactly once, in order, with any number
 * of each. Four kinds: {@linkplain #rendezvous() rendezvous} (a send waits for a receiver),
 * {@linkplain #buffered(int) buffered}, {@linkplain #unlimited() unlimited} and
 * {@linkplain #conflated() conflated} (keeps only the latest item; sends never wait). Several channel
 * operations and a timeout can be awaited at once with {@link Select}.
 *
 * <pre>{@code
 * Channel<Page> pages = Channel.buffered(16);
 * Weft.spawn(() -> {
 *     try {
 *         for (String url : urls) {
 *             pages.send(fetch(url));
 *         }
 *         pages.close();              // receivers see Done after the last page
 *     } catch (IOException e) {
 *         pages.fail(e);              // receivers see Failed(e) at once
 *     }
 * });
 * for (Page p : pages) {              // until done; a failure is thrown
 *     index(p);
 * }
 * }</pre>
 *
 * <p>Closing, by either side (trio's memory channels close per side): {@link #close()} is the
 * senders' "done": sends fail from then on (waiting senders too, with their items not sent),
 * receivers get the items already buffered and then {@link Received.Done}. {@link #fail} ends it with
 * an error: buffered items are dropped (except those already promised to receivers that were woken
 * for them) and every later receive gets {@link Received.Failed}. {@link #closeReceiving()} is the
 * receivers' "gone": buffered items are dropped, and every send, waiting or later, fails at once, so
 * a producer stops when its consumer has gone. {@link #receive} throws a
 * {@link ChannelClosedException} where {@link #receiveOrClosed} returns the closing as a value.
 *
 * <p>Cancellation and timeouts: {@link #send} and {@link #receive} are cancellation points even when
 * they need not wait, and give up the turn only when they wait. A sender cancelled while waiting has
 * not sent its item; a receiver cancelled while waiting has taken none. A receiver cancelled after an
 * item was reserved for it, before it ran again, passes the reservation on to the next receiver (the
 * item stays in its place) and throws; a sender whose item was already taken returns normally and is
 * cancelled at its next suspension point. So every item sent is received exactly once, unless
 * {@link #fail} drops it (or a conflated channel replaces it). Waiting tasks are served first come,
 * first served.
 *
 * <p>Items must not be null. Every method must be called from a task of the loop that uses the
 * channel. Memory consistency effects: everything a task did before sending an item happens-before
 * everything the task that receives it does after.
 */
/*
 * Design: one buffer and two parking lots (waiting senders, waiting receivers), all on the loop's
 * turn, so there are no races to solve. A sender that finds a waiting receiver puts its item in the
 * buffer reserved for that receiver (even on a rendezvous channel, whose buffer holds only reserved
 * items), so items leave in order and a receiver cancelled before it runs just passes its
 * reservation on; a receiver that frees a slot moves the longest-waiting sender's item in. Differences
 * from Kotlin: closing normally fails the senders already waiting (Go-like) instead of letting them
 * complete later; fail() drops the buffer, as Jox's error() does.
 */
public final class Channel<E> implements Iterable<E> {
    /** The capacity reported for an unlimited channel. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    static final Object SENT = new Object();

    private final Binding binding = new Binding();
    private final ArrayDeque<E> buffer = new ArrayDeque<>();
    private final Exchange<E> ex;
    private final boolean conflated;
    private @Nullable Closing closing;

    /** How the channel was closed, handed to the waiters it wakes; {@code byReceiver}: {@link #closeReceiving()}. */
    record Closing(Channel<?> channel, Received<?> how, boolean byReceiver) {
        ChannelClosedException exception(String operation) {
            Throwable cause = how instanceof Received.Failed<?> f ? f.cause() : null;
            return new ChannelClosedException(operation + ": " + channel + " is closed"
                    + (byReceiver ? " for receiving (its receivers have gone)" : cause == null ? "" : " with " + cause),
                    cause);
        }
    }

    private Channel(int capacity, boolean conflated) {
        this.ex = new Exchange<>(buffer, capacity);
        this.conflated = conflated;
        ex.latestOnly = conflated;
    }

    /** A channel without a buffer: each send waits until a receiver takes its item. */
    public static <E> Channel<E> rendezvous() {
        return new Channel<>(0, false);
    }

    /**
     * A channel that buffers up to {@code capacity} items; sends wait while it is full.
     *
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public static <E> Channel<E> buffered(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a buffered channel's capacity must be >= 1, got " + capacity
                    + " (use Channel.rendezvous() for none)");
        }
        return new Channel<>(capacity, false);
    }

    /** A channel with an unlimited buffer: sends never wait. */
    public static <E> Channel<E> unlimited() {
        return new Channel<>(UNLIMITED, false);
    }

    /**
     * A channel that keeps only the latest item: a send replaces the item not yet received and never
     * waits (for state updates, where only the newest matters).
     */
    public static <E> Channel<E> conflated() {
        return new Channel<>(1, true);
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends {@code item}, waiting while the channel is full (for a rendezvous channel: until a
     * receiver takes it); a suspension point.
     *
     * @throws ChannelClosedException if the channel is closed, before or while waiting; the item was
     *     not sent
     */
    public void send(E item) {
        Objects.requireNonNull(item, "Channel.send: items must not be null");
        Fiber<?> f = binding.enter(this, "Channel.send");
        f.checkCancelled();
        Object r;
        while ((r = sendNow(item)) == null) {
            ParkingLot.Waiter w = waitToSend(f, item, null);
            if (ex.givers.park(w, WaitReason.CHANNEL, this)) {
                r = sent(w);
                break;
            }
        }
        if (r instanceof Closing c) {
            throw c.exception("Channel.send");
        }
    }

    /**
     * Sends {@code item} if that needs no waiting and returns true; returns false at once if it would
     * wait.
     *
     * @throws ChannelClosedException if the channel is closed
     */
    public boolean trySend(E item) {
        Objects.requireNonNull(item, "Channel.trySend: items must not be null");
        binding.enter(this, "Channel.trySend");
        Object r = sendNow(item);
        if (r instanceof Closing c) {
            throw c.exception("Channel.trySend");
        }
        return r == SENT;
    }

    /** Sends without waiting: {@link #SENT}, a {@link Closing} if closed, or null if it would wait. */
    @Nullable Object sendNow(E item) {
        if (closing != null) {
            return closing;
        }
        if (conflated) {
            ex.trim(0); // the newest replaces the one not yet reserved for a receiver
            ex.add(item);
        } else if (ex.hasRoom()) {
            ex.add(item);
        } else if (!ex.reserveForWaitingTaker(item)) {
            return null;
        }
        return SENT;
    }

    ParkingLot.Waiter waitToSend(Fiber<?> f, E item, @Nullable Object tag) {
        return ex.givers.enqueue(f, item, tag);
    }

    /** What a claimed sender's waiter stands for: {@link #SENT}, or the {@link Closing} that woke it. */
    static Object sent(ParkingLot.Waiter w) {
        return w.item instanceof Closing c ? c : SENT;
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Receives the next item, waiting until there is one; a suspension point.
     *
     * @throws ChannelClosedException if the channel is done (closed and drained) or failed, before or
     *     while waiting; its cause is the failure, if any
     */
    public E receive() {
        Object r = receiveRaw(binding.enter(this, "Channel.receive"));
        if (r instanceof Closing c) {
            throw c.exception("Channel.receive");
        }
        @SuppressWarnings("unchecked")
        E item = (E) r;
        return item;
    }

    /**
     * Receives the next item, waiting until there is one or the channel is closed; a suspension
     * point. Returns {@link Received.Item}, {@link Received.Done} or {@link Received.Failed}.
     */
    public Received<E> receiveOrClosed() {
        return received(receiveRaw(binding.enter(this, "Channel.receiveOrClosed")));
    }

    /**
     * Receives the next item if there is one without waiting; returns empty at once if there is none.
     *
     * @throws ChannelClosedException if the channel is done or failed
     */
    public Optional<E> tryReceive() {
        binding.enter(this, "Channel.tryReceive");
        Object r = receiveNow();
        if (r instanceof Closing c) {
            throw c.exception("Channel.tryReceive");
        }
        @SuppressWarnings("unchecked")
        E item = (E) r;
        return Optional.ofNullable(item);
    }

    private Object receiveRaw(Fiber<?> f) {
        f.checkCancelled();
        for (;;) {
            Object r = receiveNow();
            if (r != null) {
                return r;
            }
            ParkingLot.Waiter w = waitToReceive(f, null);
            if (ex.takers.parkToTake(w, WaitReason.CHANNEL, this, ex.passOn)) {
                return takeClaimed(w);
            }
        }
    }

    /** Receives without waiting: an item, a {@link Closing} if closed and drained, or null. */
    @Nullable Object receiveNow() {
        Object item = ex.poll();
        if (item == null) {
            item = ex.takeFromWaitingGiver();
        }
        if (item != null) {
            return item;
        }
        // closed: Done only once no reservation may come back; failed: at once
        return closing != null && (ex.dropUnreserved || ex.drained()) ? closing : null;
    }

    /** What a claimed receiver gets: its reserved item, or the {@link Closing} that woke it. */
    Object takeClaimed(ParkingLot.Waiter w) {
        Object r = w.item == Exchange.TAKE ? ex.takeReserved() : w.item; // fail() keeps reserved items
        return Objects.requireNonNull(r, "a claimed receiver is handed an item or the closing");
    }

    /** A receiver cancelled after an item was reserved for it passes the reservation on. */
    void passOn(ParkingLot.Waiter w) {
        ex.passOn(w);
    }

    ParkingLot.Waiter waitToReceive(Fiber<?> f, @Nullable Object tag) {
        return ex.takers.enqueue(f, null, tag);
    }

    /** A raw receive result as a {@link Received}. */
    @SuppressWarnings("unchecked")
    Received<E> received(Object r) {
        return r instanceof Closing c ? (Received<E>) c.how() : new Received.Item<>((E) r);
    }

    /**
     * Receives until the channel is done, then {@code hasNext()} returns false; if it failed,
     * {@code hasNext()} throws its {@link ChannelClosedException}. Each {@code hasNext()} that has no
     * item yet is a {@link #receive}, with its waiting and cancellation. For one task at a time.
     */
    @Override
    public Iterator<E> iterator() {
        return new Draining<>() {
            @Override
            @SuppressWarnings("unchecked")
            @Nullable E take() {
                Object r = receiveRaw(binding.enter(Channel.this, "Channel.iterator"));
                if (r instanceof Closing c) {
                    if (c.how() instanceof Received.Failed<?>) {
                        throw c.exception("Channel.iterator");
                    }
                    return null;
                }
                return (E) r;
            }
        };
    }

    // ---------------------------------------------------------------- select clauses

    /** A {@link Select} clause that receives an item and maps it with {@code then}; closing throws. */
    public <R> Clause<R> onReceive(Function<? super E, ? extends R> then) {
        return new Clause.Receive<>(this, false, Objects.requireNonNull(then, "then"));
    }

    /** A {@link Select} clause that receives an item or the closing, as {@link #receiveOrClosed}. */
    public <R> Clause<R> onReceiveOrClosed(Function<? super Received<E>, ? extends R> then) {
        return new Clause.Receive<>(this, true, Objects.requireNonNull(then, "then"));
    }

    /** A {@link Select} clause that sends {@code item}, then returns what {@code then} supplies. */
    public <R> Clause<R> onSend(E item, Supplier<? extends R> then) {
        Objects.requireNonNull(item, "Channel.onSend: items must not be null");
        return new Clause.Send<>(this, item, Objects.requireNonNull(then, "then"));
    }

    boolean isRendezvous() {
        return ex.capacity == 0;
    }

    Fiber<?> enter(String operation) {
        return binding.enter(this, operation);
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes the channel normally: no more sends (waiting senders fail, their items not sent);
     * receivers get the items buffered, then {@link Received.Done}.
     *
     * @return true if this call closed it, false if it was closed already
     */
    public boolean close() {
        return close(new Received.Done<>(), "Channel.close");
    }

    /**
     * Closes the channel for receiving, when its receivers have gone (trio's
     * {@code ReceiveChannel.close}, Kotlin's {@code ReceiveChannel.cancel}): buffered items are
     * dropped (except those already promised to receivers that were woken for them); every send,
     * waiting or later, fails with a {@link ChannelClosedException}, its item not sent; later
     * receives get {@link Received.Done} ({@link #receive} throws), or still the failure of a channel
     * that had {@linkplain #fail failed}. Also after {@link #close()}: the items not received yet
     * are dropped.
     *
     * @return true if this call closed the receiving side, false if it was closed already
     */
    public boolean closeReceiving() {
        binding.enter(this, "Channel.closeReceiving");
        Closing was = closing;
        if (was != null && was.byReceiver()) {
            return false;
        }
        Received<?> how = was != null && was.how() instanceof Received.Failed<?> ? was.how() : new Received.Done<>();
        closing = new Closing(this, how, true);
        drop(closing);
        return true;
    }

    /**
     * Closes the channel with {@code cause}: buffered items are dropped, and every send and receive,
     * waiting or later, fails with it ({@link Received.Failed} from {@link #receiveOrClosed}).
     *
     * @return true if this call closed it, false if it was closed already
     */
    public boolean fail(Throwable cause) {
        return close(new Received.Failed<>(Objects.requireNonNull(cause, "cause")), "Channel.fail");
    }

    private boolean close(Received<E> how, String operation) {
        binding.enter(this, operation);
        if (closing != null) {
            return false;
        }
        closing = new Closing(this, how, false);
        if (how instanceof Received.Failed<E>) {
            drop(closing);
        } else {
            ex.givers.claimAll(closing);
            ex.end(closing);
        }
        return true;
    }

    /** Ends the channel for everyone at once: senders fail, the buffer is dropped, receivers are woken. */
    private void drop(Closing closing) {
        ex.givers.claimAll(closing);
        ex.dropUnreserved = true;
        ex.trim(0); // drop the buffer, but not what woken receivers were promised
        ex.takers.claimAll(closing);
        ex.end(closing);
    }

    // ---------------------------------------------------------------- state

    /** A snapshot of the channel's state. */
    public Statistics statistics() {
        binding.enter(this, "Channel.statistics");
        State state = closing == null ? State.OPEN : closing.byReceiver() ? State.RECEIVE_CLOSED
                : closing.how() instanceof Received.Done<?> ? State.DONE : State.FAILED;
        return new Statistics(buffer.size(), ex.capacity, ex.givers.waiting(), ex.takers.waiting(), state);
    }

    /**
     * Whether a channel is open, closed normally by a sender (receivers may still drain it), failed,
     * or closed for receiving.
     */
    public enum State {
        OPEN,
        DONE,
        FAILED,
        RECEIVE_CLOSED
    }

    /**
     * The state of a {@link Channel}.
     *
     * @param size items buffered
     * @param capacity the buffer's size: 0 rendezvous, 1 conflated, {@link #UNLIMITED} unlimited
     * @param sendersWaiting tasks waiting to send
     * @param receiversWaiting tasks waiting to receive
     * @param state open, done, failed or closed for receiving
     */
    public record Statistics(int size, int capacity, int sendersWaiting, int receiversWaiting, State state) {}

    @Override
    public String toString() {
        String kind = conflated ? "conflated" : ex.capacity == 0 ? "rendezvous"
                : ex.capacity == UNLIMITED ? "unlimited" : "buffered(" + ex.capacity + ")";
        return "Channel@" + Integer.toHexString(System.identityHashCode(this)) + " (" + kind
                + (closing == null ? "" : closing.byReceiver() ? ", closed for receiving"
                        : closing.how() instanceof Received.Done<?> ? ", done" : ", failed") + ")";
    }
}
