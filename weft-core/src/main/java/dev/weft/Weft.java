package dev.weft;

import dev.weft.internal.Durations;
import dev.weft.internal.Fiber;
import dev.weft.internal.ShieldScope;
import dev.weft.internal.TimeoutScope;
import dev.weft.internal.Waits;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * The entry points of Weft: run a loop, spawn and await tasks, sleep, time out, shield, and run
 * blocking code on another thread. asyncio's module-level functions, for Java.
 *
 * <p>Except {@link #run}, every method must be called from a task (a thread that is not one gets an
 * {@link IllegalStateException} saying so). Each method marked <em>a suspension point</em> may give
 * the loop to other tasks, and throws {@link CancelledException} (or a timeout's
 * {@link DeadlineExceededException}) if the task is cancelled there; nothing else switches tasks.
 * Memory consistency effects: state shared by the tasks of one loop needs no locks or volatiles,
 * because everything a task did before a suspension point happens-before everything the tasks that
 * run next do.
 */
public final class Weft {
    private Weft() {}

    // ---------------------------------------------------------------- running

    /** Runs {@code main} on a new default loop and returns its value (asyncio.run); see {@link Loop#run}. */
    public static <T, X extends Throwable> T run(Body<T, X> main) throws X {
        try (Loop loop = Loop.builder().build()) {
            return loop.run(main);
        }
    }

    /** Runs {@code main}, which returns nothing, on a new default loop. */
    public static <X extends Throwable> void run(Action<X> main) throws X {
        run(main.asBody());
    }

    /** The loop of the current task, for handing work to it from other threads ({@link Loop#submit}). */
    public static Loop loop() {
        return (Loop) current("Weft.loop").scheduler().loop();
    }

    // ---------------------------------------------------------------- tasks

    /**
     * Starts {@code body} as a new task of the current loop (asyncio.create_task); it gets the turn
     * after the tasks already ready. The task is not tied to its spawner: cancelling the spawner does
     * not cancel it (use a {@link TaskGroup} for that). The loop keeps it alive; if it fails and
     * nobody awaits it, the failure is reported.
     */
    public static <T> Task<T> spawn(String name, Body<T, ?> body) {
        return current("Weft.spawn").scheduler().spawn(name, body, null);
    }

    /** {@link #spawn(String, Body)} with the name {@code Task-N}. */
    public static <T> Task<T> spawn(Body<T, ?> body) {
        return spawn(null, body);
    }

    /** Starts a task that returns nothing. */
    public static Task<Void> spawn(String name, Action<?> body) {
        return spawn(name, body.asBody());
    }

    /** Starts a task, named {@code Task-N}, that returns nothing. */
    public static Task<Void> spawn(Action<?> body) {
        return spawn(null, body.asBody());
    }

    /** The task calling this. */
    public static Task<?> currentTask() {
        return current("Weft.currentTask");
    }

    /** The tasks of the current loop that have not ended (asyncio.all_tasks), newest first. */
    public static List<Task<?>> tasks() {
        return List.copyOf(current("Weft.tasks").scheduler().liveTasks());
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Waits for {@code task} to end and returns its value. A suspension point. Cancelling the waiting
     * task does not cancel {@code task}.
     *
     * @throws TaskFailedException if the task failed (the cause is its exception)
     * @throws CancelledException if the task was cancelled, or the waiting task is
     */
    public static <T> T await(Task<T> task) {
        return Waits.await(current("Weft.await"), task);
    }

    /**
     * Waits for {@code stage}, completed by anything (another thread, I/O, a pool), without holding
     * the loop. A suspension point; cancelling the waiting task does not cancel the stage. A failure
     * is rethrown as it was if unchecked, else wrapped in a {@code CompletionException}; a cancelled
     * future throws {@link CancelledException}.
     *
     * <p>A pending stage counts as an outside source of wake-ups, so deadlock detection cannot see a
     * task waiting for a future that only another task of the same loop would complete and never
     * does; between tasks of one loop, wait on a task (or a sync primitive) instead.
     */
    public static <T> T await(CompletionStage<T> stage) {
        return Waits.awaitStage(current("Weft.await"), stage, null);
    }

    /** {@link #await(CompletionStage)} for a {@code CompletableFuture}. */
    public static <T> T await(CompletableFuture<T> future) {
        return Waits.awaitStage(current("Weft.await"), future, null);
    }

    /**
     * Waits for any {@code Future}; one that is not a {@code CompletionStage} is waited for by a
     * blocked platform thread, not by the loop. Failures as in {@link #await(CompletionStage)}.
     */
    public static <T> T await(Future<T> future) {
        return Waits.awaitFuture(current("Weft.await"), future);
    }

    /**
     * Lets every other ready task run once, then continues (asyncio.sleep(0), trio's checkpoint). A
     * suspension point; returns at once if no other task is ready.
     */
    public static void yield() {
        current("Weft.yield").yieldTurn();
    }

    /** Suspends the task for {@code duration} of loop time. A suspension point (also for zero). */
    public static void sleep(Duration duration) {
        Fiber<?> f = current("Weft.sleep");
        Waits.sleepUntil(f, Durations.deadline(f.scheduler().now(), Durations.toNanos(duration)));
    }

    /** Suspends the task until the loop clock reaches {@code deadline}. A suspension point. */
    public static void sleepUntil(long deadline) {
        Waits.sleepUntil(current("Weft.sleepUntil"), deadline);
    }

    /**
     * The loop clock, in nanoseconds since the run began: monotonic real time, or virtual time under
     * {@link Loop.Builder#virtualClock()}. Deadlines of {@link #sleepUntil} and {@link #timeoutAt} use it.
     */
    public static long nanoTime() {
        return current("Weft.nanoTime").scheduler().now();
    }

    /**
     * Runs blocking {@code body} on a platform thread while the task waits without holding the loop
     * (asyncio.to_thread), and returns its value or rethrows its exception as it was. A suspension
     * point that always lets the other ready tasks run, even when the body finishes at once, so a
     * loop of quick calls cannot starve them; cancelling the task interrupts the thread and throws at
     * once, without waiting for the body to notice.
     */
    public static <T, X extends Throwable> T toThread(Body<T, X> body) throws X {
        return Waits.toThread(current("Weft.toThread"), body);
    }

    /** {@link #toThread(Body)} for a body that returns nothing. */
    public static <X extends Throwable> void toThread(Action<X> body) throws X {
        toThread(body.asBody());
    }

    // ---------------------------------------------------------------- scopes

    /** Opens a {@link Timeout} expiring {@code duration} from now; use with try-with-resources. */
    public static Timeout timeout(Duration duration) {
        Fiber<?> f = current("Weft.timeout");
        return new TimeoutScope(f, Durations.deadline(f.scheduler().now(), Durations.toNanos(duration)));
    }

    /** Opens a {@link Timeout} expiring at a loop-clock instant ({@code Long.MAX_VALUE}: never). */
    public static Timeout timeoutAt(long deadline) {
        return new TimeoutScope(current("Weft.timeoutAt"), deadline);
    }

    /**
     * Runs {@code body} under a timeout (asyncio.wait_for, trio's fail_after).
     *
     * @throws DeadlineExceededException if the deadline passed while the body waited
     */
    public static <T, X extends Throwable> T withTimeout(Duration duration, Body<T, X> body) throws X {
        try (Timeout t = timeout(duration)) {
            return body.run();
        }
    }

    /** {@link #withTimeout(Duration, Body)} for a body that returns nothing. */
    public static <X extends Throwable> void withTimeout(Duration duration, Action<X> body) throws X {
        withTimeout(duration, body.asBody());
    }

    /** Opens a {@link Shield} against outside cancellation; use with try-with-resources around cleanup. */
    public static Shield shield() {
        return new ShieldScope(current("Weft.shield"));
    }

    /** Runs {@code body} shielded from outside cancellation; see {@link Shield}. */
    public static <T, X extends Throwable> T shielded(Body<T, X> body) throws X {
        try (Shield s = shield()) {
            return body.run();
        }
    }

    /** {@link #shielded(Body)} for a body that returns nothing. */
    public static <X extends Throwable> void shielded(Action<X> body) throws X {
        shielded(body.asBody());
    }

    private static Fiber<?> current(String operation) {
        return Waits.current(operation);
    }
}
