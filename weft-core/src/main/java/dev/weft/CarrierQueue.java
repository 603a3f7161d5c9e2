package dev.weft;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * The scheduler of a run's virtual threads when the loop has a carrier of its own: the JDK hands it
 * each continuation that may run (a task given the turn, a blocking call whose socket became ready, a
 * timed park that expired), and the run's driver thread runs them one after another, between its
 * duties. So a task switch is a continuation switch on one thread, as in asyncio, not a wake-up of
 * another thread.
 *
 * <p>{@link #execute} is called from any thread (by the JDK, with the caller's continuation pinned:
 * it must not block); the rest only from the driver's thread.
 */
final class CarrierQueue implements Executor {
    private final ConcurrentLinkedQueue<Runnable> continuations = new ConcurrentLinkedQueue<>();
    private final Scheduler sched;

    CarrierQueue(Scheduler sched) {
        this.sched = sched;
    }

    /** Queues {@code continuation} for the carrier, and wakes the driver if it is idle. From any thread. */
    @Override
    public void execute(Runnable continuation) {
        continuations.add(continuation);
        sched.wakeIfIdle();
    }

    /** Whether no continuation waits to run. */
    boolean isEmpty() {
        return continuations.isEmpty();
    }

    /**
     * Runs the first queued continuation on the calling thread, the carrier, until its virtual thread
     * parks or ends; returns false if none was queued.
     */
    boolean runOne() {
        Runnable r = continuations.poll();
        if (r == null) {
            return false;
        }
        r.run();
        return true;
    }
}
