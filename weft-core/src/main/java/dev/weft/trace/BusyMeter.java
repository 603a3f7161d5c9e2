package dev.weft.trace;

import dev.weft.Task;
import dev.weft.TaskListener;

/**
 * Measures how busy a loop is: the real time during which some task held the turn, and how many
 * times a task got it. A loop that waits on I/O concurrently is mostly idle; one that runs CPU-bound
 * work is busy all the time (and then wants a Pool).
 *
 * <p>Register it with {@code Loop.builder().listener(meter)}; read it after the run, or from a task
 * of the loop.
 */
public final class BusyMeter implements TaskListener {
    private long busyNanos;
    private long turns;
    private long since = -1;

    /** A meter that has measured nothing yet. */
    public BusyMeter() {}

    @Override
    public void resumed(Task<?> task) {
        since = System.nanoTime();
        turns++;
    }

    @Override
    public void suspended(Task<?> task, Object waitingFor) {
        stop();
    }

    @Override
    public void finished(Task<?> task) {
        stop();
    }

    private void stop() {
        if (since >= 0) {
            busyNanos += System.nanoTime() - since;
            since = -1;
        }
    }

    /** Nanoseconds during which a task held the turn. */
    public long busyNanos() {
        return busyNanos;
    }

    /** How many times a task got the turn. */
    public long turns() {
        return turns;
    }
}
