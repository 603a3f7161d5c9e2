package dev.weft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Combinators over many tasks: asyncio's {@code gather}, {@code wait}, {@code as_completed} and
 * {@code shield}, and a first-success race. All must be called from a task; all are cancellation
 * points, and all suspend unless what they wait for is already there (a zero timeout, tasks already
 * done). Those that take existing tasks take tasks of the caller's loop only; to wait for a task of
 * another loop, use {@link Weft#await(Task)}.
 *
 * <p>Those that take bodies run them as children of a task group, so the children never outlive the
 * call: if the caller is cancelled, or the call ends early, the children still running are cancelled
 * and awaited. Those that take existing tasks only watch them, except {@link #awaitAll}, which cancels
 * the rest when one fails (wrap a task in {@link #shielded} to protect it). Every argument must be
 * non-null, and so must every element of a list or collection.
 */
public final class Tasks {
    private Tasks() {}

    /**
     * Runs the bodies concurrently and returns their values in order (asyncio.gather). The first
     * failure cancels the others and is thrown as a {@link TaskFailedException}, later ones attached.
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only copied into a list, never stored or given out
    public static <T> List<T> gather(Body<? extends T, ?>... bodies) {
        if (bodies == null) {
            throw new NullPointerException("bodies");
        }
        return gather(List.of(bodies));
    }

    /** {@link #gather(Body[])} for a list of bodies. */
    public static <T> List<T> gather(List<? extends Body<? extends T, ?>> bodies) {
        checkElements(bodies, "bodies");
        Fiber<?> self = current("Tasks.gather");
        return TaskGroup.scoped(g -> {
            List<Task<T>> tasks = spawnAll(g, bodies);
            g.join();
            return valuesOf(self, tasks);
        });
    }

    /**
     * Runs the bodies concurrently, lets every one finish whatever happens to the others, and returns
     * how each ended, in order (asyncio.gather with {@code return_exceptions=True}).
     */
    public static <T> List<Outcome<T>> gatherOutcomes(List<? extends Body<? extends T, ?>> bodies) {
        checkElements(bodies, "bodies");
        try (TaskGroup g = TaskGroup.supervisor()) {
            List<Task<T>> tasks = spawnAll(g, bodies);
            g.join();
            List<Outcome<T>> out = new ArrayList<>(tasks.size());
            for (Task<T> t : tasks) {
                out.add(t.outcome());
            }
            return out;
        }
    }

    /** The values of tasks that have ended, in order, as {@link Waits#valueOf} gives each. */
    private static <T> List<T> valuesOf(Fiber<?> self, List<? extends Task<? extends T>> tasks) {
        List<T> out = new ArrayList<>(tasks.size());
        for (Task<? extends T> t : tasks) {
            out.add(Waits.valueOf(self, t));
        }
        return out;
    }

    @SuppressWarnings("unchecked") // a task of a subtype only produces values: read-only covariance
    private static <T> List<Task<T>> spawnAll(TaskGroup g, List<? extends Body<? extends T, ?>> bodies) {
        List<Task<T>> tasks = new ArrayList<>(bodies.size());
        for (Body<? extends T, ?> b : bodies) {
            tasks.add((Task<T>) g.spawn(b));
        }
        return tasks;
    }

    /**
     * Waits for existing tasks and returns their values in order (a task listed twice gives its value
     * twice). If one fails or is cancelled, the others are cancelled and its
     * {@link TaskFailedException} (or {@link TaskCancelledException}) is thrown; if the caller is
     * cancelled, so are they.
     */
    public static <T> List<T> awaitAll(List<? extends Task<? extends T>> tasks) {
        checkElements(tasks, "tasks");
        Fiber<?> self = current("Tasks.awaitAll");
        WaitSet w = WaitSet.of(self, tasks);
        try {
            w.await(WaitMode.FIRST_EXCEPTION, true, Long.MAX_VALUE);
            Task<?> unsuccessful = w.firstUnsuccessful();
            if (unsuccessful != null) {
                Waits.valueOf(self, unsuccessful); // throws its failure or cancellation
            }
        } finally {
            w.release();
            if (!w.allDone()) {
                tasks.forEach(Task::cancel);
            }
        }
        return valuesOf(self, tasks);
    }

    /** The tasks that had ended and those that had not when {@link #wait} returned. */
    public record Done<T>(Set<Task<T>> done, Set<Task<T>> pending) {}

    /**
     * Waits until {@code mode} is satisfied (asyncio.wait); never throws a task's failure and never
     * cancels a task. A task listed twice counts once.
     *
     * @throws IllegalArgumentException if {@code tasks} is empty (asyncio's {@code ValueError}):
     *     there would be nothing to wait for
     */
    public static <T> Done<T> wait(Collection<? extends Task<T>> tasks, WaitMode mode) {
        return waitUntil(tasks, mode, null);
    }

    /**
     * {@link #wait(Collection, WaitMode)}, returning when {@code timeout} has passed if {@code mode}
     * is not satisfied by then; a zero or negative timeout returns after one turn of the loop at most.
     */
    public static <T> Done<T> wait(Collection<? extends Task<T>> tasks, WaitMode mode, Duration timeout) {
        return waitUntil(tasks, mode, Objects.requireNonNull(timeout, "timeout"));
    }

    private static <T> Done<T> waitUntil(Collection<? extends Task<T>> tasks, WaitMode mode,
            @Nullable Duration timeoutOrNone) {
        checkElements(tasks, "tasks");
        Objects.requireNonNull(mode, "mode");
        Fiber<?> self = current("Tasks.wait");
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("Tasks.wait needs at least one task: the collection is empty");
        }
        WaitSet w = WaitSet.of(self, tasks);
        try {
            w.await(mode, false, timeoutOrNone == null ? Long.MAX_VALUE : w.deadlineAfter(timeoutOrNone));
        } finally {
            w.release();
        }
        Set<Task<T>> done = new java.util.LinkedHashSet<>();
        Set<Task<T>> pending = new java.util.LinkedHashSet<>();
        for (Task<T> t : tasks) {
            (t.isDone() ? done : pending).add(t);
        }
        return new Done<>(done, pending);
    }

    /**
     * The tasks in the order they end (asyncio.as_completed): each {@code next()} of an iterator
     * suspends until one more has ended and returns it, done. A task listed twice is returned once.
     * Each iterator starts from the beginning.
     */
    public static <T> Iterable<Task<T>> asCompleted(Collection<? extends Task<T>> tasks) {
        return completing(tasks, null);
    }

    /**
     * {@link #asCompleted(Collection)} within {@code timeout} of the start of each iteration: after
     * it (at once, for a zero or negative one, if no task has ended), {@code next()} throws
     * {@link DeadlineExceededException}.
     */
    public static <T> Iterable<Task<T>> asCompleted(Collection<? extends Task<T>> tasks, Duration timeout) {
        return completing(tasks, Objects.requireNonNull(timeout, "timeout"));
    }

    private static <T> Iterable<Task<T>> completing(Collection<? extends Task<T>> tasks,
            @Nullable Duration timeoutOrNone) {
        checkElements(tasks, "tasks");
        return () -> new Iterator<>() {
            private final WaitSet w = WaitSet.of(current("Tasks.asCompleted"), tasks);
            private final long deadline = timeoutOrNone == null ? Long.MAX_VALUE : w.deadlineAfter(timeoutOrNone);

            @Override
            public boolean hasNext() {
                return w.hasUnreported();
            }

            @Override
            public Task<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("every task has been returned");
                }
                @SuppressWarnings("unchecked")
                Task<T> t = (Task<T>) w.nextDone(deadline);
                return t;
            }
        };
    }

    /**
     * Runs the bodies concurrently and returns the first value to arrive; the others are then
     * cancelled and awaited. If all fail, throws the first failure with the others attached.
     */
    public static <T> T firstSuccess(List<? extends Body<? extends T, ?>> bodies) {
        checkElements(bodies, "bodies");
        if (bodies.isEmpty()) {
            throw new IllegalArgumentException("firstSuccess needs at least one body");
        }
        try (TaskGroup g = TaskGroup.supervisor()) {
            List<Task<T>> tasks = spawnAll(g, bodies);
            TaskFailedException failures = null;
            for (Task<T> t : asCompleted(tasks)) {
                Outcome<T> o = t.outcome();
                if (o instanceof Outcome.Success<T> s) {
                    g.cancel();
                    g.join();
                    return s.value();
                }
                // a body cancelled from outside lost the race too: count it as a failure
                Throwable cause = o instanceof Outcome.Failure<T> f ? f.exception()
                        : ((Outcome.Cancelled<T>) o).exception();
                TaskFailedException e = new TaskFailedException(t.name(), cause);
                if (failures == null) {
                    failures = e;
                } else {
                    failures.addSuppressed(e);
                }
            }
            g.join();
            throw failures;
        }
    }

    /**
     * A task that ends as {@code task} ends — with its value, its failure, or cancelled — but whose
     * cancellation does not reach it (asyncio.shield): give it to combinators that cancel what they
     * wait for. (To keep cancellation away from a block of code instead, see {@link Weft#shield()}.)
     */
    public static <T> Task<T> shielded(Task<T> task) {
        Objects.requireNonNull(task, "task");
        Body<T, Throwable> mirror = () -> {
            try {
                return Weft.await(task);
            } catch (TaskFailedException e) {
                throw e.getCause(); // end as the task ended, not wrapped once more
            } catch (TaskCancelledException e) {
                String why = e.getMessage();
                Weft.currentTask().cancel(why != null ? why : "the shielded task was cancelled"); // as asyncio's shield does
                return Weft.await(task); // throws the cancellation just requested
            }
        };
        return Weft.spawn("shield(" + task.name() + ")", mirror);
    }

    /** Rejects a null collection or a null element of it, naming the parameter. */
    private static void checkElements(Collection<?> c, String name) {
        Objects.requireNonNull(c, name);
        int i = 0;
        for (Object o : c) {
            if (o == null) {
                throw new NullPointerException(name + "[" + i + "] is null");
            }
            i++;
        }
    }

    private static Fiber<?> current(String op) {
        return Waits.current(op);
    }
}
