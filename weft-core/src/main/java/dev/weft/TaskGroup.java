package dev.weft;

import dev.weft.internal.Closing;
import java.util.List;

/**
 * Structured concurrency: a set of child tasks that never outlives the block that opened it,
 * asyncio's {@code TaskGroup} and trio's nursery, used with try-with-resources and ended by
 * {@link #join()}.
 *
 * <pre>{@code
 * try (TaskGroup g = TaskGroup.open()) {
 *     Task<String> a = g.spawn("a", () -> fetch(urlA));
 *     Task<String> b = g.spawn("b", () -> fetch(urlB));
 *     g.join();                         // waits for both; throws if one failed
 *     return a.resultNow() + b.resultNow();
 * }
 * }</pre>
 * Or let {@link #scoped} open, join and close it:
 * {@code int n = TaskGroup.scoped(g -> { g.spawn(...); ...; return 42; })}.
 *
 * <p><b>Failure.</b> The first child that fails cancels its siblings and the block: the block's
 * current or next suspension point throws a {@link TaskFailedException} naming that child, with the
 * child's exception as its cause. Every later failure is attached to it as a suppressed
 * {@code TaskFailedException} naming its own child, so none is dropped. {@link #join()} throws it
 * after all children have ended. A {@linkplain #supervisor() supervisor} group does none of this: a
 * child's failure touches nobody else and stays with the child (await it); a failure nobody observed
 * is reported when the group closes.
 *
 * <p><b>Cancellation.</b> Cancelling the task that opened the group (or a scope or timeout around the
 * block) cancels the children. {@link #cancel()} cancels the group itself, as trio's
 * {@code nursery.cancel_scope.cancel()}: the children, those spawned later (which never run), and the
 * block, whose suspension points throw {@link CancelledException}, except {@link #join()}, which then
 * waits for the children and returns normally; so does {@link #close()}. End the block with
 * {@code join()} after {@code cancel()}: a {@code CancelledException} that escapes the block cannot be
 * caught by it (Java's try-with-resources cannot swallow it, as trio's nursery does), and unless
 * something catches it, it ends the task cancelled. A child that
 * someone else cancels (with {@link Task#cancel}) ends cancelled without affecting the group, as in
 * asyncio; awaiting it throws {@link TaskCancelledException}.
 *
 * <p><b>Children that never run.</b> A task cancelled before its first turn never runs its body
 * (asyncio's rule), so a child spawned just before the group fails or is cancelled may end cancelled
 * without having started: it has no failure to collect.
 *
 * <p><b>Closing.</b> {@link #close()} after {@code join()} does nothing. If the block ends without
 * having joined, close cancels the children still running and waits for them (shielded); unless the
 * block was ended by a cancellation or timeout, it then throws an {@link IllegalStateException}
 * saying so (attached to the block's exception, if there is one). Spawning into a closed group is an
 * error.
 *
 * <p>All methods but {@link #cancel()} must be called by tasks of the group's loop; {@code join} and
 * {@code close} by the task that opened the group. Memory consistency effects: everything a child
 * did happens-before {@code join()} returns.
 */
public interface TaskGroup extends AutoCloseable {

    /** Opens a task group in the current task: the first failure cancels the rest. */
    static TaskGroup open() {
        return new Group(Waits.current("TaskGroup.open"), false);
    }

    /** Opens a supervisor group in the current task: a child's failure does not cancel the others. */
    static TaskGroup supervisor() {
        return new Group(Waits.current("TaskGroup.supervisor"), true);
    }

    /**
     * Runs {@code body} with a new group, joins it and closes it; if {@code body} throws, the children
     * are cancelled and awaited, and their failures are attached to the exception. Kotlin's
     * {@code coroutineScope}, Jox's {@code supervised}. After {@link #cancel()}, the body ends as a
     * try-with-resources block does: its {@code join()} returns normally, but a suspension point
     * elsewhere in it throws the group's {@link CancelledException}, which leaves this call (there is
     * no value to return in its place).
     */
    static <T, X extends Throwable> T scoped(GroupBody<T, X> body) throws X {
        return Group.scoped(Waits.current("TaskGroup.scoped"), body);
    }

    /** The block of {@link #scoped}. */
    @FunctionalInterface
    interface GroupBody<T, X extends Throwable> {
        T run(TaskGroup group) throws X;
    }

    /** Spawns a child named {@code name}; it starts after the tasks already ready. */
    <T> Task<T> spawn(String name, Body<T, ?> body);

    /** Spawns a child that returns nothing. */
    Task<Void> spawn(String name, Action<?> body);

    /** Spawns a child named {@code Task-N}. */
    <T> Task<T> spawn(Body<T, ?> body);

    /** Spawns a child named {@code Task-N} that returns nothing. */
    Task<Void> spawn(Action<?> body);

    /**
     * Starts a child and waits until it reports, through its {@link TaskStatus}, that it is ready, and
     * returns the value it reported (trio's {@code nursery.start}): a server that reports the port it
     * bound, say. A suspension point. Until it reports, the child runs under this call: cancelling the
     * caller cancels it (and this waits for it to end, then throws), and if it fails, this throws its
     * failure and the group is not affected. Once it has reported, it is a child of this group like any
     * other, and runs on. May be called by any task of the loop; the group stays open for it (its
     * {@link #join()} waits) while the start is pending.
     *
     * @throws TaskFailedException if the child failed before reporting
     * @throws TaskCancelledException if the child was cancelled by someone else before reporting
     * @throws IllegalStateException if the child ended without reporting, or the group takes no new
     *     tasks (closed, or shutting down after a failure)
     */
    <T> T start(String name, StartBody<T, ?> body);

    /** {@link #start(String, StartBody)} for a child named {@code Task-N}. */
    <T> T start(StartBody<T, ?> body);

    /** The body of a child started with {@link #start}: it calls {@code status.started(value)} once ready. */
    @FunctionalInterface
    interface StartBody<T, X extends Throwable> {
        void run(TaskStatus<T> status) throws X;
    }

    /** How a child started with {@link #start} reports that it is ready (trio's {@code task_status}). */
    interface TaskStatus<T> {
        /**
         * Reports that the child is ready: {@link #start} returns {@code value}, and the child moves
         * into the group. If the call to {@code start} was cancelled meanwhile, this does nothing (the
         * child is being cancelled). Must be called on the loop.
         *
         * @throws IllegalStateException if called a second time
         */
        void started(T value);

        /** {@link #started(Object)} with no value ({@code start} returns null). */
        void started();
    }

    /**
     * Waits until every child (and every pending {@link #start}) has ended. A suspension point. After
     * {@link #cancel()}, it waits for the cancelled children and returns normally, and the group ends:
     * the code after it is not cancelled by the group, and the group takes no more tasks (unless it
     * is called inside the block of another group opened in this one's, whose tasks still run: they
     * stay cancelled, and so does the block).
     *
     * @throws TaskFailedException the group's first failure, the others suppressed in it (not for a
     *     supervisor)
     * @throws CancelledException if the waiting task is cancelled, or a scope around the block (also
     *     when the group was cancelled by hand too: the cancellation around it wins); the children
     *     are then cancelled at close
     * @throws DeadlineExceededException if a timeout around the block, opened by the same task,
     *     expired
     */
    void join();

    /**
     * Cancels the group: its children, those spawned later, and the block; {@link #join()} then
     * returns normally once the children have ended. Idempotent. May be called from any thread; off
     * the loop it takes effect on the loop, at its next switch.
     */
    void cancel();

    /** The children that have not ended, oldest first. Must be called on the group's loop. */
    List<Task<?>> children();

    /** The task that opened the group. */
    Task<?> owner();

    /** Ends the group; see the class comment. A suspension point if children are still running. */
    @Override
    void close();
}
