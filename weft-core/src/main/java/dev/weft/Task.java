package dev.weft;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A unit of work running on a loop: asyncio's {@code Task}. Created by {@link Weft#spawn} or
 * {@link TaskGroup#spawn}; awaited with {@link Weft#await(Task)}.
 *
 * <p><b>Cancellation.</b> Cancelling a task cancels its root cancel scope: its current or next
 * suspension point throws {@link CancelledException}, and the task ends cancelled if it lets it
 * propagate. A task cancelled before its first turn never runs its body at all (asyncio's rule;
 * trio starts it and cancels it at its first checkpoint), so a child spawned just before its group
 * fails or is cancelled may never run. A task that awaits a task or future that someone else
 * cancelled gets a {@link TaskCancelledException}, a failure: it was not cancelled itself. A
 * {@link CancelledException} that ends a task ends it cancelled, as in asyncio and Kotlin, also one
 * that escaped a block whose scope could not catch it (see {@link TaskGroup#cancel()}).
 *
 * <p><b>Introspection.</b> {@link #id}, {@link #state}, {@link #parent}, {@link #group} and
 * {@link #waitingFor} are cheap reads for tools, callable from any thread; read off the loop they are a
 * snapshot that may already be stale. {@link #childGroups} must be called on the task's loop.
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

    /** The task's number, unique within its loop's run: 1 for the main task, then in spawn order. */
    long id();

    /** The task's current state. */
    State state();

    /**
     * The task this one runs under: for a child of a task group, the task that opened the group (for
     * a child of {@link TaskGroup#start} that has not reported yet, the task waiting in
     * {@code start}); otherwise the task that spawned it, until this one ends (so that a chain of
     * tasks that each spawn the next and end does not keep every ended one). Empty for the main task
     * and for tasks submitted from outside the loop.
     */
    Optional<Task<?>> parent();

    /** The task group this task is a child of, if any (none for {@link Weft#spawn}). */
    Optional<TaskGroup> group();

    /**
     * The task groups this task has opened and not closed yet, outermost first: with
     * {@link TaskGroup#children()}, the way down the task tree. Must be called on the task's loop.
     */
    List<TaskGroup> childGroups();

    /**
     * What the task waits for while {@link State#SUSPENDED}, for people: the text the deadlock report
     * prints ({@code "Lock@1f2e (held by task 'a')"}, {@code "the loop clock to reach 2.000 s"}).
     * Empty in any other state. Built when called.
     */
    Optional<String> waitingFor();

    /** Whether the task has ended, in any way. */
    default boolean isDone() {
        return state() == State.DONE;
    }

    /** Whether the task ended cancelled. */
    boolean isCancelled();

    /**
     * Requests cancellation: the task's current or next suspension point throws
     * {@link CancelledException}, and so does every suspension point after it until the task ends
     * (shielded scopes excepted). A task that has not had its first turn yet never runs its body: it
     * ends cancelled when its turn comes. Idempotent: the first reason is kept.
     *
     * <p>Cancelling a task that has already ended does nothing and does not count as observing it: a
     * failure it ended with is still reported if nobody reads it (asyncio, by contrast, counts
     * {@code cancel()} as having looked).
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
     * @throws TaskCancelledException if it was cancelled
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
