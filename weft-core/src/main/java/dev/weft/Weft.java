package dev.weft;

import dev.weft.internal.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * The entry points of Weft: run a loop, spawn and await tasks, sleep, time out or move on (the two
 * forms of a {@link CancelScope}), shield, and run blocking code on another thread. asyncio's
 * module-level functions, for Java.
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
        Objects.requireNonNull(main, "main");
        try (Loop loop = Loop.builder().build()) {
            return loop.run(main);
        }
    }

    /** Runs {@code main}, which returns nothing, on a new default loop. */
    public static <X extends Throwable> void run(Action<X> main) throws X {
        run(Objects.requireNonNull(main, "main").asBody());
    }

    /** The loop of the current task, for handing work to it from other threads ({@link Loop#submit}). */
    public static Loop loop() {
        return current("Weft.loop").scheduler().loop();
    }

    // ---------------------------------------------------------------- tasks

    /**
     * Starts {@code body} as a new task of the current loop (asyncio.create_task); it gets the turn
     * after the tasks already ready. The task is not tied to its spawner: cancelling the spawner does
     * not cancel it (use a {@link TaskGroup} for that). The loop keeps it alive; if it fails and
     * nobody awaits it, the failure is reported.
     */
    public static <T> Task<T> spawn(String name, Body<T, ?> body) {
        return spawnNamed(Objects.requireNonNull(name, "name"), Objects.requireNonNull(body, "body"));
    }

    /** {@link #spawn(String, Body)} with the name {@code Task-N}. */
    public static <T> Task<T> spawn(Body<T, ?> body) {
        return spawnNamed(null, Objects.requireNonNull(body, "body"));
    }

    /** Starts a task that returns nothing. */
    public static Task<Void> spawn(String name, Action<?> body) {
        return spawnNamed(Objects.requireNonNull(name, "name"), Objects.requireNonNull(body, "body").asBody());
    }

    /** Starts a task, named {@code Task-N}, that returns nothing. */
    public static Task<Void> spawn(Action<?> body) {
        return spawnNamed(null, Objects.requireNonNull(body, "body").asBody());
    }

    private static <T> Task<T> spawnNamed(@Nullable String nameOrDefault, Body<T, ?> body) {
        return current("Weft.spawn").scheduler().spawn(nameOrDefault, body, null);
    }

    /** The task calling this. */
    public static Task<?> currentTask() {
        return current("Weft.currentTask");
    }

    /** Whether the calling thread runs a task of a loop: where {@link #await} and friends may be called. */
    public static boolean inTask() {
        return Fiber.current() != null;
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
     * @throws TaskCancelledException if the task was cancelled (by someone else: a failure of the
     *     waiting task, which is not cancelled by it)
     * @throws CancelledException if the waiting task is cancelled
     */
    public static <T> T await(Task<T> task) {
        Objects.requireNonNull(task, "task");
        return Waits.await(current("Weft.await"), task);
    }

    /**
     * Waits for {@code stage}, completed by anything (another thread, I/O, a pool), without holding
     * the loop. A suspension point; cancelling the waiting task does not cancel the stage. A failure
     * is rethrown as it was if unchecked, else wrapped in a {@code CompletionException}; a future
     * that was cancelled (by its owner, a pool that was terminated, ...) throws a
     * {@link TaskCancelledException}, a failure of the waiting task, not its cancellation.
     *
     * <p>A pending stage counts as an outside source of wake-ups, so deadlock detection cannot see a
     * task waiting for a future that only another task of the same loop would complete and never
     * does; between tasks of one loop, wait on a task (or a sync primitive) instead.
     */
    public static <T> T await(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        return Waits.awaitStage(current("Weft.await"), stage, null);
    }

    /** {@link #await(CompletionStage)} for a {@code CompletableFuture}. */
    public static <T> T await(CompletableFuture<T> future) {
        Objects.requireNonNull(future, "future");
        return Waits.awaitStage(current("Weft.await"), future, null);
    }

    /**
     * Waits for any {@code Future}; one that is not a {@code CompletionStage} is waited for by a
     * blocked platform thread, not by the loop. Failures as in {@link #await(CompletionStage)}.
     */
    public static <T> T await(Future<T> future) {
        Objects.requireNonNull(future, "future");
        return Waits.awaitFuture(current("Weft.await"), future);
    }

    /**
     * Lets every other ready task run once, then continues (asyncio.sleep(0), trio's checkpoint). A
     * suspension point; returns at once if no other task is ready.
     */
    @SuppressWarnings("NamedLikeContextualKeyword") // asyncio's and Kotlin's name; called qualified
    public static void yield() {
        current("Weft.yield").yieldTurn();
    }

    /**
     * Suspends the task for {@code duration} of loop time. A suspension point. A zero or negative
     * duration is {@link #yield()} (asyncio's rule; trio raises for a negative one): a negative delay
     * usually comes from a deadline already passed, and then there is nothing left to wait for.
     */
    public static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        Fiber<?> f = current("Weft.sleep");
        Waits.sleepUntil(f, Durations.deadline(f.scheduler().now(), Durations.toNanos(duration)));
    }

    /**
     * Suspends the task until the loop clock reaches {@code deadline}; a deadline already passed is
     * {@link #yield()}. A suspension point.
     *
     * @throws IllegalArgumentException if {@code deadline} is on the clock of another loop or run
     */
    public static void sleepUntil(Deadline deadline) {
        Objects.requireNonNull(deadline, "deadline");
        Fiber<?> f = current("Weft.sleepUntil");
        Waits.sleepUntil(f, deadline.nanosOn(f.scheduler()));
    }

    /**
     * Suspends the task until it is cancelled (trio's {@code sleep_forever}): a server's main task
     * waiting for Ctrl-C, say. A suspension point; it never returns normally.
     *
     * @throws CancelledException when the task is cancelled (or a timeout's
     *     {@link DeadlineExceededException})
     */
    public static void sleepForever() {
        Waits.sleepUntil(current("Weft.sleepForever"), Long.MAX_VALUE);
    }

    /**
     * The loop clock, in nanoseconds since the run began: monotonic real time, or virtual time under
     * {@link Loop.Builder#virtualClock()}; for measuring. Deadlines are {@link Deadline}s of this clock.
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
        Objects.requireNonNull(body, "body");
        return Waits.toThread(current("Weft.toThread"), body);
    }

    /** {@link #toThread(Body)} for a body that returns nothing. */
    public static <X extends Throwable> void toThread(Action<X> body) throws X {
        toThread(Objects.requireNonNull(body, "body").asBody());
    }

    // ---------------------------------------------------------------- scopes

    /**
     * Opens a {@link Timeout} expiring {@code duration} from now, the fail form of a cancel scope; use
     * with try-with-resources. A zero or negative duration opens a timeout that has already expired
     * (asyncio's rule; trio raises for a negative one): the block's first suspension point throws.
     */
    public static Timeout timeout(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        Fiber<?> f = current("Weft.timeout");
        return new TimeoutScope(f, Durations.deadline(f.scheduler().now(), Durations.toNanos(duration)));
    }

    /**
     * Opens a {@link Timeout} expiring at {@code deadline} (one already passed: expired at once).
     *
     * @throws IllegalArgumentException if {@code deadline} is on the clock of another loop or run
     */
    public static Timeout timeoutAt(Deadline deadline) {
        Objects.requireNonNull(deadline, "deadline");
        Fiber<?> f = current("Weft.timeoutAt");
        return new TimeoutScope(f, deadline.nanosOn(f.scheduler()));
    }

    /**
     * Runs {@code body} under a timeout (asyncio.wait_for, trio's fail_after); a zero or negative
     * duration as in {@link #timeout}.
     *
     * @throws DeadlineExceededException if the deadline passed while the body waited
     */
    public static <T, X extends Throwable> T withTimeout(Duration duration, Body<T, X> body) throws X {
        Objects.requireNonNull(body, "body");
        try (Timeout _ = timeout(duration)) {
            return body.run();
        }
    }

    /** {@link #withTimeout(Duration, Body)} for a body that returns nothing. */
    public static <X extends Throwable> void withTimeout(Duration duration, Action<X> body) throws X {
        withTimeout(duration, Objects.requireNonNull(body, "body").asBody());
    }

    /**
     * Runs {@code body} for at most {@code duration}, the move-on form of a cancel scope (trio's
     * {@code move_on_after}, Kotlin's {@code withTimeoutOrNull}): when the deadline passes, the body's
     * current or next suspension point ends it, and this returns empty instead of throwing. A zero or
     * negative duration means the deadline has already passed. For the scope itself (to move the
     * deadline, or to cancel by hand), use {@link CancelScope#create()}.
     *
     * @return the body's value, or empty if the deadline ended it (or it returned null)
     */
    public static <T, X extends Throwable> Optional<T> moveOnAfter(Duration duration, Body<T, X> body) throws X {
        return moveOnScope("Weft.moveOnAfter", duration).run(body);
    }

    /**
     * {@link #moveOnAfter(Duration, Body)} for a body that returns nothing.
     *
     * @return true if the body ran to its end, false if the deadline ended it early
     */
    public static <X extends Throwable> boolean moveOnAfter(Duration duration, Action<X> body) throws X {
        return moveOnScope("Weft.moveOnAfter", duration).run(body);
    }

    /** {@link #moveOnAfter(Duration, Body)} with a deadline on the loop clock (trio's {@code move_on_at}). */
    public static <T, X extends Throwable> Optional<T> moveOnAt(Deadline deadline, Body<T, X> body) throws X {
        return moveOnScope("Weft.moveOnAt", deadline).run(body);
    }

    /** {@link #moveOnAfter(Duration, Action)} with a deadline on the loop clock. */
    public static <X extends Throwable> boolean moveOnAt(Deadline deadline, Action<X> body) throws X {
        return moveOnScope("Weft.moveOnAt", deadline).run(body);
    }

    private static CancelScope moveOnScope(String operation, Duration duration) {
        Objects.requireNonNull(duration, "duration");
        CancelScope s = DeadlineScope.create(current(operation));
        s.reschedule(duration);
        return s;
    }

    private static CancelScope moveOnScope(String operation, Deadline deadline) {
        Objects.requireNonNull(deadline, "deadline");
        CancelScope s = DeadlineScope.create(current(operation));
        s.rescheduleAt(deadline);
        return s;
    }

    /**
     * The nearest deadline of the cancel scopes and timeouts around the current task, on the loop
     * clock (trio's {@code current_effective_deadline}): its own, and those around the task groups it
     * runs in. A shield stops the search (its own deadline counts). Empty if there is none; now, or a
     * deadline already passed, if a cancellation already reaches the task.
     */
    public static Optional<Deadline> currentEffectiveDeadline() {
        Fiber<?> f = current("Weft.currentEffectiveDeadline");
        long d = f.effectiveDeadline();
        return d == Long.MAX_VALUE ? Optional.empty() : Optional.of(Deadline.at(f.scheduler(), d));
    }

    /** Opens a {@link Shield} against outside cancellation; use with try-with-resources around cleanup. */
    public static Shield shield() {
        return new ShieldScope(current("Weft.shield"));
    }

    /**
     * Runs {@code body} shielded from outside cancellation (the lambda form of {@link #shield()}, as
     * {@link #withTimeout} is of {@link #timeout}); see {@link Shield}.
     */
    public static <T, X extends Throwable> T withShield(Body<T, X> body) throws X {
        Objects.requireNonNull(body, "body");
        try (Shield _ = shield()) {
            return body.run();
        }
    }

    /** {@link #withShield(Body)} for a body that returns nothing. */
    public static <X extends Throwable> void withShield(Action<X> body) throws X {
        withShield(Objects.requireNonNull(body, "body").asBody());
    }

    private static Fiber<?> current(String operation) {
        return Waits.current(operation);
    }
}
