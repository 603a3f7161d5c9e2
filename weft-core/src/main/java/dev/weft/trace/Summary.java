package dev.weft.trace;

import java.util.List;
import java.util.Map;

/**
 * The advisor's reading of a recording: how busy each loop was, where each task's time went, the
 * longest stalls, how busy each pool worker was, and a {@link Verdict} with its evidence.
 * {@link #toString()} is the report for people.
 *
 * @param verdict which model the recorded work needs
 * @param evidence the numbers behind the verdict, one sentence ("the loop was busy 97% of the time,
 *     mostly in task 'crunch #3' (99% of it), at com.acme.Primes.count(Primes.java:12)")
 * @param loops each loop's run, in the order they first appear
 * @param tasks each task, most running time first
 * @param waitNanosByReason time tasks spent waiting, per wait reason's label, over all tasks
 * @param stalls the longest turns that held a loop, longest first (at most five)
 * @param workers each pool worker, in the order they first appear
 * @param dropped slices the recorder no longer held: the summary covers only the rest
 */
public record Summary(Verdict verdict, String evidence, List<LoopUse> loops, List<TaskUse> tasks,
        Map<String, Long> waitNanosByReason, List<Stall> stalls, List<WorkerUse> workers, long dropped) {

    /** Copies the lists and the map. */
    public Summary {
        loops = List.copyOf(loops);
        tasks = List.copyOf(tasks);
        waitNanosByReason = Map.copyOf(waitNanosByReason);
        stalls = List.copyOf(stalls);
        workers = List.copyOf(workers);
    }

    /**
     * The report for people: each loop's busy share, wall time and tasks; the tasks that ran most, with
     * their waits by reason; the long turns with the first frames of their stacks; the pool workers'
     * busy shares; a note when slices were dropped; and last, one line with the verdict and its evidence.
     */
    @Override
    public String toString() {
        return SummaryText.render(this);
    }

    /** Which execution model the recorded work needs. */
    public enum Verdict {
        /** Tasks mostly waited on I/O or timers while the loop idled. */
        IO_BOUND("I/O-bound: concurrency on one loop fits"),
        /** A loop was busy running code most of the time. */
        CPU_BOUND("CPU-bound: move the heavy work to a Pool"),
        /** Tasks held a loop inside calls that block the thread without suspending. */
        BLOCKING("blocking calls hold the loop: wrap them in Weft.toThread"),
        /** Both: waits on I/O and heavy computing, on the loop or on a pool. */
        MIXED("mixed: keep the I/O on the loop and await the CPU work from a Pool"),
        /** Too little was recorded to tell. */
        UNKNOWN("too little was recorded to tell");

        private final String advice;

        Verdict(String advice) {
            this.advice = advice;
        }

        /** The verdict as advice, for people. */
        public String advice() {
            return advice;
        }
    }

    /**
     * One run of a loop.
     *
     * @param group the loop's name in the recording
     * @param wallNanos from its first recorded slice to its last
     * @param busyNanos time some task held its turn
     * @param tasks how many tasks it ran
     */
    public record LoopUse(String group, long wallNanos, long busyNanos, int tasks) {
        /** busyNanos / wallNanos, 0 for an empty run. */
        public double busyShare() {
            return wallNanos == 0 ? 0 : (double) busyNanos / wallNanos;
        }
    }

    /**
     * Where one task's time went.
     *
     * @param group its loop
     * @param task its name
     * @param runNanos time it held the turn
     * @param waitNanos time it waited (all reasons)
     * @param readyNanos time it was ready and waited for the turn
     * @param waitNanosByReason its waits per reason label
     */
    public record TaskUse(String group, String task, long runNanos, long waitNanos, long readyNanos,
            Map<String, Long> waitNanosByReason) {
        /** Copies the map. */
        public TaskUse {
            waitNanosByReason = Map.copyOf(waitNanosByReason);
        }
    }

    /**
     * A turn that held a loop long.
     *
     * @param group its loop
     * @param task the task that held it
     * @param nanos how long
     * @param blocking whether the stall watchdog saw the task's thread blocked (in a call that does not
     *     suspend) rather than running
     * @param stack where the watchdog saw it, one frame per line; empty when no watchdog sampled it
     */
    public record Stall(String group, String task, long nanos, boolean blocking, String stack) {}

    /**
     * One pool worker.
     *
     * @param group its pool
     * @param worker its name
     * @param workNanos time it ran jobs
     * @param wallNanos from the pool's first recorded slice to its last
     * @param jobs how many jobs (chunks) it ran
     * @param failed how many of them failed
     */
    public record WorkerUse(String group, String worker, long workNanos, long wallNanos, int jobs, int failed) {
        /** workNanos / wallNanos, 0 for an empty pool. */
        public double busyShare() {
            return wallNanos == 0 ? 0 : (double) workNanos / wallNanos;
        }
    }
}
