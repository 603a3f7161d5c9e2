package dev.weft;

/**
 * An entry of a loop's {@link TimerHeap}: something to do when the loop's clock reaches a deadline.
 * Timers are created, scheduled, cancelled and fired only by the holder of the loop's turn.
 */
abstract class Timer {
    long deadline;
    long seq;
    int index = -1;

    /** Runs on the turn when the deadline is reached; must not suspend. */
    protected abstract void fire();

    /** The deadline on the loop clock, in nanoseconds. */
    public final long deadline() {
        return deadline;
    }

    /** Whether the timer is scheduled and has not fired or been cancelled. */
    public final boolean isScheduled() {
        return index >= 0;
    }
}
