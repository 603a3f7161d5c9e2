package dev.weft;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The queue of a loop's own carrier: the JDK hands it (through each task's {@link TaskScheduler})
 * each continuation of a task that may run (a task given the turn, a blocking call whose socket became ready, a
 * timed park that expired), and the run's driver thread runs them one after another, between its
 * duties. So a task switch is a continuation switch on one thread, as in asyncio, not a wake-up of
 * another thread.
 *
 * <p>{@link #submit} is called from any thread (by the JDK, with the caller's continuation pinned:
 * it must not block); the rest only from the carrier. Most continuations are queued by the carrier
 * itself (a task handing the turn on wakes the next): those go to a queue of the carrier's alone,
 * without atomic instructions; the others to a concurrent queue, which is served first.
 */
final class CarrierQueue {
    /** Queued by the carrier thread itself; touched only by it. */
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();
    /** Queued by other threads: the JDK's timer and poller threads, a task's caller... */
    private final ConcurrentLinkedQueue<Runnable> remote = new ConcurrentLinkedQueue<>();
    private final Scheduler sched;
    private final Thread carrier;

    CarrierQueue(Scheduler sched, Thread carrier) {
        this.sched = sched;
        this.carrier = carrier;
    }

    /** Queues {@code continuation} for the carrier; from another thread, wakes the driver if it is idle. */
    void submit(Runnable continuation) {
        if (OwnCarrier.currentCarrier() == carrier) {
            local.add(continuation); // the carrier is running us: it sees the queue when we park
        } else {
            remote.add(continuation);
            sched.wakeIfIdle();
        }
    }

    /**
     * Whether another thread queued a continuation (a blocking call's thread that needs the carrier a
     * moment to return, say): a task that only yields must then let the carrier run it.
     */
    boolean hasRemote() {
        return !remote.isEmpty();
    }

    /** Whether no continuation waits to run. On the carrier. */
    boolean isEmpty() {
        return local.isEmpty() && remote.isEmpty();
    }

    /**
     * Runs a queued continuation on the calling thread, the carrier, until its virtual thread parks or
     * ends; returns false if none was queued. Those queued from other threads go first: they wait for
     * the carrier while tasks keep handing the turn to each other.
     */
    boolean runOne() {
        Runnable r = remote.isEmpty() ? null : remote.poll();
        if (r == null) {
            r = local.poll();
            if (r == null) {
                return false;
            }
        }
        r.run();
        return true;
    }
}
