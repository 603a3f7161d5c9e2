package dev.weft;

import dev.weft.internal.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * An instant on the clock of one run of a loop: what {@link Weft#sleepUntil}, {@link Weft#timeoutAt},
 * {@link Weft#moveOnAt} and {@link CancelScope#rescheduleAt} take, and what
 * {@link CancelScope#deadline()} and {@link Weft#currentEffectiveDeadline()} give.
 *
 * <pre>{@code
 * Deadline end = Deadline.after(Duration.ofSeconds(10)); // one budget for several steps
 * try (Timeout t = Weft.timeoutAt(end)) { connect(); }
 * try (Timeout t = Weft.timeoutAt(end)) { login(); }
 * }</pre>
 *
 * <p>A loop's clock starts at zero in each run and may be virtual ({@link Loop.Builder#virtualClock()}),
 * so its instants mean nothing outside that run: a deadline is made only from the loop's own clock
 * ({@link #after}), and using one in another loop or a later run of the same loop throws an
 * {@link IllegalArgumentException} instead of sleeping for the wrong time. (A raw {@code long} would
 * let a {@code System.nanoTime()} value through: a sleep of days, without a word.)
 *
 * <p>Immutable and comparable among the deadlines of one run. {@link #after}, {@link #remaining()}
 * and {@link #hasPassed()} read the clock, so they must be called by a task of the deadline's loop.
 */
public final class Deadline implements Comparable<Deadline> {
    private final Scheduler clock;
    private final long nanos;

    private Deadline(Scheduler clock, long nanos) {
        this.clock = clock;
        this.nanos = nanos;
    }

    static Deadline at(Scheduler clock, long nanos) {
        return new Deadline(clock, nanos);
    }

    /**
     * The instant {@code delay} from now on the current loop's clock; a zero or negative delay means
     * now.
     *
     * @throws IllegalStateException if not called from a task
     */
    public static Deadline after(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        Scheduler s = Waits.current("Deadline.after").scheduler();
        return new Deadline(s, Durations.deadline(s.now(), Durations.toNanos(delay)));
    }

    /** This instant moved by {@code delay} (later if positive), saturating instead of overflowing. */
    public Deadline plus(Duration delay) {
        long d = Durations.toNanos(Objects.requireNonNull(delay, "delay"));
        long sum = nanos + d;
        if (((nanos ^ sum) & (d ^ sum)) < 0) { // overflow: saturate towards the sign of the delay
            sum = d > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return new Deadline(clock, sum);
    }

    /** The time left until this instant: zero or negative once it has passed. */
    public Duration remaining() {
        return Duration.ofNanos(nanos - now("Deadline.remaining"));
    }

    /** Whether this instant is now or past. */
    public boolean hasPassed() {
        return nanos <= now("Deadline.hasPassed");
    }

    /**
     * Orders instants of one run's clock.
     *
     * @throws IllegalArgumentException if {@code other} is on another clock
     */
    @Override
    public int compareTo(Deadline other) {
        return Long.compare(nanos, other.nanosOn(clock));
    }

    /** The instant in the loop clock's nanoseconds, checked to be of {@code s}'s clock. */
    long nanosOn(Scheduler s) {
        if (s != clock) {
            throw new IllegalArgumentException("this deadline is on the clock of another loop, or of an earlier run"
                    + " of this loop (each run's clock starts at zero): make it with Deadline.after(...) in a task"
                    + " of the loop that uses it");
        }
        return nanos;
    }

    private long now(String operation) {
        Scheduler s = Waits.current(operation).scheduler();
        nanosOn(s); // the current loop's clock must be this deadline's
        return s.now();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Deadline d && d.clock == clock && d.nanos == nanos;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nanos);
    }

    @Override
    public String toString() {
        return "Deadline[" + Durations.format(nanos) + " on the loop clock]";
    }
}
