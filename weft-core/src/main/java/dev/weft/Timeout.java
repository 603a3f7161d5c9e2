package dev.weft;

import java.time.Duration;

/**
 * A cancel scope with a deadline, used with try-with-resources: asyncio's {@code timeout()} and
 * trio's {@code fail_after}. Opened by {@link Weft#timeout(Duration)} or {@link Weft#timeoutAt(long)}.
 *
 * <pre>{@code
 * try (Timeout t = Weft.timeout(Duration.ofSeconds(2))) {
 *     return Weft.await(fetch);
 * } // DeadlineExceededException if the deadline passed while the block waited
 * }</pre>
 *
 * <p>When the deadline passes, the block is cancelled: its current or next suspension point throws
 * {@link DeadlineExceededException}, and so does every later one inside the block; tasks of task
 * groups opened inside the block are cancelled with a {@link CancelledException}. A block that
 * reaches no suspension point after the deadline is not interrupted (as in trio). Timeouts nest; the
 * innermost expired one throws; an outer one that also expired stays expired, so its block unwinds
 * too. The deadline can be moved until it has passed.
 *
 * <p>Must be closed by the task that opened it, in the reverse order of opening.
 */
public interface Timeout extends AutoCloseable {

    /** The deadline on the loop clock ({@link Weft#nanoTime()}); {@code Long.MAX_VALUE} for none. */
    long deadline();

    /** Moves the deadline to {@code delay} from now. @throws IllegalStateException if it already passed */
    void reschedule(Duration delay);

    /** Moves the deadline to a loop-clock instant. @throws IllegalStateException if it already passed */
    void rescheduleAt(long deadlineNanos);

    /** Whether the deadline has passed and the block was cancelled. */
    boolean expired();

    /** Ends the scope and its timer. Never throws a timeout itself. */
    @Override
    void close();
}
