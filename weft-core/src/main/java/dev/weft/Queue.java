package dev.weft;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;

/**
 * A queue between the tasks of one loop (asyncio's {@code Queue}, {@code LifoQueue} and
 * {@code PriorityQueue}): FIFO, LIFO or by priority, bounded or not, with {@link #join} and
 * {@link #taskDone} to wait until every item is processed, and Python 3.13's {@link #shutdown}.
 *
 * <pre>{@code
 * Queue<Job> jobs = Queue.fifo(100);
 * for (int i = 0; i < 4; i++) {
 *     Weft.spawn(() -> {
 *         for (Job job : jobs) {      // gets until the queue is shut down and empty
 *             try {
 *                 job.run();
 *             } finally {
 *                 jobs.taskDone();
 *             }
 *         }
 *     });
 * }
 * for (Job job : input) {
 *     jobs.put(job);                  // waits while 100 items are queued
 * }
 * jobs.join();                        // every job done
 * jobs.shutdown();                    // the workers' loops end
 * }</pre>
 *
 * <p>Waiting tasks are served first come, first served: an item put while tasks wait in
 * {@link #get} is reserved for the one that has waited longest (it takes the next item when it
 * runs), and a slot freed in a full queue goes to the putter that has waited longest, whose item is
 * moved in. Items leave the queue in its order (FIFO, LIFO or priority). Items must not be null.
 *
 * <p>Cancellation and timeouts: {@link #put}, {@link #get} and {@link #join} are cancellation points
 * even when they need not wait, and give up the turn only when they wait. A putter cancelled while
 * waiting has not put its item; a getter cancelled while waiting has taken none, and the tasks
 * behind either move up. A getter cancelled after an item was reserved for it, before it ran again,
 * passes the reservation on to the next getter (the item stays in its place) and throws, as in
 * asyncio; a putter whose item was already moved in returns normally and is cancelled at its next
 * suspension point. So every item put is got exactly once, unless an immediate shutdown drops it.
 *
 * <p>Shutdown: after {@link #shutdown()} puts fail with {@link QueueShutDownException} (waiting
 * putters too: their items are not put), gets return the items left and then fail, and
 * {@link #join} still waits for the items left. {@link #shutdown(boolean) shutdown(true)} also drops
 * the items left (counting them done) and makes waiting and later gets fail at once.
 *
 * <p>Every method must be called from a task of the loop that uses the queue. Memory consistency
 * effects: everything a task did before putting an item happens-before everything the task that
 * gets it does after; everything done before {@link #taskDone} happens-before {@link #join} returns.
 */
public final class Queue<E> implements Iterable<E> {
    /** The capacity of a queue without a bound. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    private static final Object SHUT_DOWN = new Object();

    private final Binding binding = new Binding();
    private final Exchange<E> ex;
    private final ParkingLot joiners = new ParkingLot();
    private final String kind;
    /** Items that entered and were marked done (or dropped): unfinished = entered - finished. */
    private long finished;
    private boolean shutDown;
    private boolean dropped;

    private Queue(java.util.Queue<E> items, int capacity, String kind) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a queue's capacity must be >= 1 (or Queue.UNBOUNDED), got "
                    + capacity);
        }
        this.ex = new Exchange<>(items, capacity);
        this.kind = kind;
    }

    /** An unbounded first-in-first-out queue. */
    public static <E> Queue<E> fifo() {
        return fifo(UNBOUNDED);
    }

    /**
     * A first-in-first-out queue holding at most {@code capacity} items.
     *
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public static <E> Queue<E> fifo(int capacity) {
        return new Queue<>(new ArrayDeque<>(), capacity, "FIFO");
    }

    /** An unbounded last-in-first-out queue (a stack). */
    public static <E> Queue<E> lifo() {
        return lifo(UNBOUNDED);
    }

    /**
     * A last-in-first-out queue holding at most {@code capacity} items.
     *
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public static <E> Queue<E> lifo(int capacity) {
        return new Queue<>(Collections.asLifoQueue(new ArrayDeque<>()), capacity, "LIFO");
    }

    /**
     * An unbounded queue that gives the least item first by {@code order}; equal items in no
     * particular order ({@code Comparator.naturalOrder()} for comparable items).
     */
    public static <E> Queue<E> priority(Comparator<? super E> order) {
        return priority(UNBOUNDED, order);
    }

    /**
     * A priority queue holding at most {@code capacity} items.
     *
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public static <E> Queue<E> priority(int capacity, Comparator<? super E> order) {
        return new Queue<>(new PriorityQueue<>(Objects.requireNonNull(order, "order")), capacity, "priority");
    }

    // ---------------------------------------------------------------- putting

    /**
     * Adds {@code item}, waiting while the queue is full; a suspension point.
     *
     * @throws QueueShutDownException if the queue is shut down, before or while waiting
     */
    public void put(E item) {
        Objects.requireNonNull(item, "Queue.put: items must not be null");
        Fiber<?> f = binding.enter(this, "Queue.put");
        f.checkCancelled();
        while (!offer(item, "put")) {
            ParkingLot.Waiter w = ex.givers.enqueue(f, item);
            if (ex.givers.park(w, WaitReason.QUEUE, this)) {
                if (w.item == SHUT_DOWN) {
                    throw shutDown("put");
                }
                if (w.item instanceof Exchange.Rejected r) {
                    throw r.cause();
                }
                return; // a getter moved our item in
            }
        }
    }

    /**
     * Adds {@code item} if there is room and returns true; returns false at once if the queue is full.
     *
     * @throws QueueShutDownException if the queue is shut down
     */
    public boolean tryPut(E item) {
        Objects.requireNonNull(item, "Queue.tryPut: items must not be null");
        binding.enter(this, "Queue.tryPut");
        return offer(item, "tryPut");
    }

    private boolean offer(E item, String operation) {
        if (shutDown) {
            throw shutDown(operation);
        }
        if (!ex.hasRoom()) {
            return false;
        }
        ex.add(item);
        return true;
    }

    // ---------------------------------------------------------------- getting

    /**
     * Removes and returns the next item, waiting while the queue is empty; a suspension point.
     *
     * @throws QueueShutDownException if the queue is shut down and empty, before or while waiting
     */
    public E get() {
        Fiber<?> f = binding.enter(this, "Queue.get");
        f.checkCancelled();
        for (;;) {
            E item = poll("get");
            if (item != null) {
                return item;
            }
            ParkingLot.Waiter w = ex.takers.enqueue(f, null);
            if (ex.takers.parkToTake(w, WaitReason.QUEUE, this, ex.passOn)) {
                E reserved = w.item == Exchange.TAKE ? ex.takeReserved() : null;
                if (reserved == null) { // woken by a shutdown, or an immediate one dropped its item
                    throw shutDown("get");
                }
                return reserved;
            }
        }
    }

    /**
     * Removes and returns the next item if there is one; returns empty at once if there is none.
     *
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public Optional<E> tryGet() {
        binding.enter(this, "Queue.tryGet");
        return Optional.ofNullable(poll("tryGet"));
    }

    private @Nullable E poll(String operation) {
        E item = ex.poll();
        if (item == null && (dropped || ex.drained())) {
            throw shutDown(operation);
        }
        return item;
    }

    /**
     * Gets items until the queue is shut down and empty (then {@code hasNext()} returns false): each
     * {@code hasNext()} that has no item yet is a {@link #get}, with its waiting and cancellation.
     * Call {@link #taskDone} for each item if anyone {@link #join}s. For one task at a time.
     */
    @Override
    public Iterator<E> iterator() {
        return new Draining<>() {
            @Override
            @Nullable E take() {
                try {
                    return get();
                } catch (QueueShutDownException e) {
                    return null;
                }
            }
        };
    }

    // ---------------------------------------------------------------- join and shutdown

    private long unfinished() {
        return ex.entered - finished;
    }

    /**
     * Marks one item got earlier as processed: when every item put has been marked, {@link #join}
     * returns.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        binding.enter(this, "Queue.taskDone");
        if (unfinished() == 0) {
            throw new IllegalStateException("Queue.taskDone: called more times than items were put;"
                    + " call it once per item got");
        }
        finish(1);
    }

    private void finish(int n) {
        finished += n;
        if (unfinished() == 0) {
            joiners.claimAll(null);
        }
    }

    /**
     * Waits until every item put has been marked with {@link #taskDone}; a suspension point. Returns at
     * once if none is unfinished.
     */
    public void join() {
        Fiber<?> f = binding.enter(this, "Queue.join");
        f.checkCancelled();
        while (unfinished() > 0) {
            if (joiners.parkToTake(joiners.enqueue(f, null), WaitReason.QUEUE, this, ParkingLot.NOTHING)) {
                return;
            }
        }
    }

    /** {@link #shutdown(boolean) shutdown(false)}: puts fail, gets drain the items left, then fail. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (Python 3.13): puts fail from now on, and waiting putters wake with a
     * {@link QueueShutDownException} without having put their items; waiting getters (the queue is
     * empty) wake with one too. If {@code immediate}, the items left are dropped and counted as done
     * (so {@link #join} may return) and later gets fail at once; if not, gets return the items left
     * first. Idempotent.
     */
    public void shutdown(boolean immediate) {
        binding.enter(this, "Queue.shutdown");
        shutDown = true;
        ex.givers.claimAll(SHUT_DOWN);
        if (immediate) {
            dropped = true;
            int n = ex.items.size();
            ex.items.clear(); // getters woken for these find nothing and throw
            if (n > 0) {
                finish(n);
            }
            ex.takers.claimAll(SHUT_DOWN);
        }
        ex.end(SHUT_DOWN);
    }

    private QueueShutDownException shutDown(String operation) {
        return new QueueShutDownException("Queue." + operation + ": " + this + " is shut down");
    }

    // ---------------------------------------------------------------- state

    /** How many items are in the queue now (including those reserved for getters about to run). */
    public int size() {
        binding.enter(this, "Queue.size");
        return ex.items.size();
    }

    /** A snapshot of the queue's state. */
    public Statistics statistics() {
        binding.enter(this, "Queue.statistics");
        return new Statistics(ex.items.size(), ex.capacity, (int) unfinished(), ex.takers.waiting(),
                ex.givers.waiting(), shutDown);
    }

    /**
     * The state of a {@link Queue}.
     *
     * @param size items queued
     * @param capacity the most it holds, {@link #UNBOUNDED} if no bound
     * @param unfinished items put and not yet marked with {@link #taskDone}
     * @param gettersWaiting tasks waiting in {@link #get}
     * @param puttersWaiting tasks waiting in {@link #put}
     * @param shutDown whether it was shut down
     */
    public record Statistics(int size, int capacity, int unfinished, int gettersWaiting, int puttersWaiting,
            boolean shutDown) {}

    @Override
    public String toString() {
        return kind + " Queue@" + Integer.toHexString(System.identityHashCode(this)) + " ("
                + (ex.capacity == UNBOUNDED ? "unbounded" : "capacity " + ex.capacity)
                + (shutDown ? ", shut down" : "") + ")";
    }
}
