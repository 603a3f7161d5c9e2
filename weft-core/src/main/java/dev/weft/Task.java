package dev.weft;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A unit of work running on a loop: asyncio's {@code Task}. Created by {@link Weft#spawn} or
 * {@link TaskGroup#spawn}; awaited with {@link Weft#await(Task)}.
 *
 * <p>Only Weft implements this interface. Methods that read state may be called from any thread;
 * {@link #cancel} may be called from any thread and takes effect on the loop; {@link #onDone} must be
 * called on the task's loop.
 *
 * <p>Memory consistency effects: everything a task did happens-before {@link Weft#await} of it
 * returns, and before its done callbacks run.
 *
 * @param <T> the type of the task's value
 */
public interface Task<T> {

    /** Where a task is in its life. */
    enum State {
        /** Spawned; has not had the turn yet. */
        NEW,
        /** Waiting for the turn. */
        READY,
        /** Holding the loop's turn. */
        RUNNING,
        /** Waiting at a suspension point. */
        SUSPENDED,
        /** Ended; {@link #outcome()} says how. */
        DONE
    }

    /** The task's name: the one given to spawn, or {@code Task-N}. */
    String name();

    /** The task's current state. */
    State state();

    /** Whether the task has ended, in any way. */
    default boolean isDone() {
        return state() == State.DONE;
    }

    /** Whether the task ended cancelled. */
    boolean isCancelled();

    /**
     * Requests cancellation: the task's current or next suspension point throws
     * {@link CancelledException}, and so does every suspension point after it until the task ends
     * (shielded scopes excepted). Idempotent: the first reason is kept.
     *
     * @return false if the task had already ended, true otherwise
     */
    boolean cancel(String reason);

    /** {@link #cancel(String)} with a generic reason. */
    default boolean cancel() {
        return cancel("cancelled");
    }

    /**
     * How the task ended. Counts as observing a failure.
     *
     * @throws IllegalStateException if the task has not ended
     */
    Outcome<T> outcome();

    /**
     * The value of a task that ended: asyncio's {@code Task.result()}.
     *
     * @throws IllegalStateException if the task has not ended
     * @throws TaskFailedException if it failed
     * @throws CancelledException if it was cancelled
     */
    default T resultNow() {
        return outcome().get();
    }

    /**
     * Runs {@code callback} on the loop once the task has ended (at once, if it has). Callbacks run in
     * the order they were added, must be quick and must not suspend; an exception thrown by one is
     * reported and does not affect the others.
     */
    void onDone(Consumer<? super Task<T>> callback);

    /**
     * A future completed when the task ends, for code outside the loop (it completes exceptionally
     * with the task's failure, or with a {@link CancelledException}). Cancelling the future does not
     * cancel the task. Counts as observing a failure.
     */
    CompletableFuture<T> toCompletableFuture();
}
