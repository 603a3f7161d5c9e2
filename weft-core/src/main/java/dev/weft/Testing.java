package dev.weft;

import org.jspecify.annotations.Nullable;


/**
 * Helpers for deterministic tests of concurrent code, as {@code trio.testing} has: wait until every
 * other task waits instead of sleeping, and assert whether a block passes a checkpoint. Call them from
 * a task, typically with a {@code Loop.builder().virtualClock()} loop.
 *
 * <pre>{@code
 * Weft.spawn(() -> lock.acquire());
 * Testing.waitAllTasksBlocked();                       // the spawned task now waits for the lock
 * assertThat(lock.statistics().waiting()).isEqualTo(1);
 * Testing.assertCheckpoints(() -> queue.get());        // get() let the other tasks run
 * }</pre>
 *
 * <p>A <em>checkpoint</em> is trio's: a point that is both a cancellation point (a pending
 * cancellation is thrown there) and a schedule point (other tasks may run there). Weft's waiting
 * operations are always cancellation points, but, as in asyncio, those that find what they wait for
 * at once (a free lock, an item in a queue, a task that has ended) do not give up the turn, so they
 * are not checkpoints then; {@link dev.weft.Weft#yield()} and {@link dev.weft.Weft#sleep} always are.
 */
public final class Testing {
    private Testing() {}

    /**
     * Waits until every other task of the loop waits (trio's {@code wait_all_tasks_blocked}): no task
     * is ready to run, no work handed in from other threads is queued, no timer is due and no channel
     * that a task waits for is ready. Tasks blocked in another thread ({@code Weft.toThread}) count as
     * waiting. The virtual clock does not move on while a task waits here, so the tasks that wait for
     * time stay where they are. A suspension point: a cancellation or timeout of the caller ends the
     * wait with its exception. If several tasks call this, they are woken one at a time, in the order
     * they called.
     */
    public static void waitAllTasksBlocked() {
        Fiber<?> f = Waits.current("Testing.waitAllTasksBlocked");
        f.scheduler().waitAllTasksBlocked(f);
    }

    /**
     * Runs {@code body} and checks that it passed at least one checkpoint, if it returns normally
     * (trio's {@code assert_checkpoints}).
     *
     * @throws AssertionError if the body returned without passing a checkpoint
     */
    public static <T, X extends Throwable> T assertCheckpoints(Body<T, X> body) throws X {
        Fiber<?> f = Waits.current("Testing.assertCheckpoints");
        int cancelPoints = f.cancelPoints();
        int schedulePoints = f.schedulePoints();
        T value = body.run();
        if (f.cancelPoints() == cancelPoints || f.schedulePoints() == schedulePoints) {
            throw new AssertionError("the block passed no checkpoint: " + describe(f, cancelPoints, schedulePoints));
        }
        return value;
    }

    /** {@link #assertCheckpoints(Body)} for a block that returns nothing. */
    public static <X extends Throwable> void assertCheckpoints(Action<X> body) throws X {
        assertCheckpoints(body.asBody());
    }

    /**
     * Runs {@code body} and checks that it passed no cancellation point and no schedule point, however
     * it ended (trio's {@code assert_no_checkpoints}).
     *
     * @throws AssertionError if it did
     */
    public static <T, X extends Throwable> T assertNoCheckpoints(Body<T, X> body) throws X {
        Fiber<?> f = Waits.current("Testing.assertNoCheckpoints");
        int cancelPoints = f.cancelPoints();
        int schedulePoints = f.schedulePoints();
        T value;
        try {
            value = body.run();
        } catch (Throwable t) {
            AssertionError crossed = crossedCheckpoint(f, cancelPoints, schedulePoints);
            if (crossed != null) {
                crossed.addSuppressed(t); // how the block ended, kept
                throw crossed;
            }
            throw t;
        }
        AssertionError crossed = crossedCheckpoint(f, cancelPoints, schedulePoints);
        if (crossed != null) {
            throw crossed;
        }
        return value;
    }

    private static @Nullable AssertionError crossedCheckpoint(Fiber<?> f, int cancelPoints, int schedulePoints) {
        return f.cancelPoints() == cancelPoints && f.schedulePoints() == schedulePoints ? null
                : new AssertionError("the block passed a checkpoint: " + describe(f, cancelPoints, schedulePoints));
    }

    /** {@link #assertNoCheckpoints(Body)} for a block that returns nothing. */
    public static <X extends Throwable> void assertNoCheckpoints(Action<X> body) throws X {
        assertNoCheckpoints(body.asBody());
    }

    private static String describe(Fiber<?> f, int cancelPoints, int schedulePoints) {
        return (f.cancelPoints() - cancelPoints) + " cancellation point(s), " + (f.schedulePoints() - schedulePoints)
                + " schedule point(s)";
    }
}
