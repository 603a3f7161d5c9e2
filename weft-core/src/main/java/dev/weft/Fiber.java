package dev.weft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A task: a body run on its own virtual thread, which executes only while it holds its loop's turn.
 * The fiber is also the root of the task's cancel scopes, so cancelling the task is cancelling that
 * scope.
 *
 * <p>All fields except {@link #hasTurn}, {@link #state} and the lazily made future are touched only
 * on the turn; hand-offs of the turn are volatile writes and reads of {@code hasTurn}, which order
 * everything one task did before the hand-off before everything the next one does after it.
 */
final class Fiber<T> extends Scope implements Task<T> {
    private static final ThreadLocal<Fiber<?>> CURRENT = new ThreadLocal<>();
    private static final Object YIELD = new Object() {
        @Override
        public String toString() {
            return "its next turn (yield)";
        }
    };

    final Scheduler sched;
    private dev.weft.@Nullable Body<T, ?> body;
    private final long id;
    /*
     * Accounting for tools, written on the turn and read by them off the loop as a snapshot (plain
     * fields: a stale value is fine, and a 64-bit JVM does not tear a long).
     */
    private @Nullable WaitReason waitReason;
    private long since;
    private long busyNanos;
    /**
     * Real time ({@code System.nanoTime}) of the start of the turn in which the task was spawned: its
     * age for the live view and the start of its first wait for the turn in a trace, to within a turn,
     * without a clock read per spawn.
     */
    private final long spawnedAt;
    /** The task's lane when the run is traced. On the turn (and the watchdog's thread, as a snapshot). */
    TraceListener.@Nullable TaskTrace trace;
    private @Nullable String name;
    @Nullable Thread thread;
    volatile boolean hasTurn;
    /** Set by the task handing the turn on when it wakes this one early; see Scheduler.awaitTurn. */
    volatile boolean prewoken;
    private volatile State state = State.NEW;
    Scope innermost = this;
    private @Nullable Object blocker;
    /** While the fiber runs a blocking call without the turn: how to abort it; else null. */
    private @Nullable Runnable abortCall;
    private boolean cancelWake;
    /**
     * The last cancellation of the task itself thrown at one of its suspension points and not caught
     * by a scope since: if the task returns normally while it is set, the task swallowed it.
     */
    private @Nullable Throwable rootCancellationThrown;
    /** The last exception thrown at a suspension point for a cancelled scope, and that scope. */
    private @Nullable Throwable lastDelivered;
    private @Nullable Scope lastDeliveredFor;
    /** Cancellation and schedule points passed, for {@code Testing.assertCheckpoints}. */
    private int cancelPoints;
    private int schedulePoints;
    /**
     * The task that spawned this one, until this one ends (a chain of tasks that each spawn the next
     * and end must not keep every ended one); null for the main task and tasks submitted from outside.
     */
    private @Nullable Fiber<?> spawner;
    private @Nullable Outcome<T> outcome;
    private @Nullable Object waiters;
    private @Nullable Object callbacks;
    volatile boolean observed;
    private @Nullable FailureWatch watch;
    @Nullable Fiber<?> prevLive;
    @Nullable Fiber<?> nextLive;
    private volatile @Nullable CompletableFuture<T> future;

    Fiber(Scheduler sched, long id, @Nullable String name, dev.weft.Body<T, ?> body, @Nullable Fiber<?> spawner) {
        super(null, false);
        this.sched = sched;
        this.id = id;
        this.name = name;
        this.body = body;
        this.spawner = spawner;
        this.spawnedAt = sched.turnStart();
    }

    /** The fiber whose thread is the current thread, or null outside any task. */
    public static @Nullable Fiber<?> current() {
        return CURRENT.get();
    }

    public Scheduler scheduler() {
        return sched;
    }

    @Override
    public String name() {
        String n = name;
        if (n == null) {
            n = "Task-" + id;
            name = n;
        }
        return n;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public Optional<Task<?>> parent() {
        Scope p = parent;
        return Optional.ofNullable(p != null ? p.owner : spawner);
    }

    @Override
    public Optional<TaskGroup> group() {
        return parent instanceof Group g ? Optional.of(g) : Optional.empty();
    }

    @Override
    public List<TaskGroup> childGroups() {
        sched.checkOnTurn("Task.childGroups");
        List<TaskGroup> out = new ArrayList<>();
        for (Scope s = innermost; s != this && s != null; s = s.parent) {
            if (s instanceof Group g) {
                out.add(g);
            }
        }
        Collections.reverse(out);
        return out;
    }

    @Override
    public Optional<String> waitingFor() {
        Object b = blocker;
        return state == State.SUSPENDED && b != null ? Optional.of(b.toString()) : Optional.empty();
    }

    @Override
    public boolean isCancelled() {
        return state == State.DONE && outcome instanceof Outcome.Cancelled;
    }

    @Override
    public boolean cancel(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (state == State.DONE) {
            return false;
        }
        sched.onTurn(() -> cancel0(reason));
        return true;
    }

    private void cancel0(String reason) {
        if (state != State.DONE) {
            cancelScope(reason);
        }
    }

    @Override
    public Outcome<T> outcome() {
        Outcome<T> o = outcome;
        if (state != State.DONE || o == null) { // set before the state is DONE
            throw new IllegalStateException("task '" + name() + "' has not ended yet: await it first");
        }
        markObserved();
        return o;
    }

    /** Counts as reading the task's outcome: a failure is then not reported as unobserved. */
    void markObserved() {
        observed = true;
        FailureWatch w = watch;
        if (w != null) {
            w.observed();
        }
    }

    /** Reports this task's failure now if nobody observed it (at most once). */
    void reportIfUnobserved() {
        FailureWatch w = watch;
        if (w != null) {
            w.run();
        }
    }

    /** How the task ended, without counting as observing it (for listeners and reports). */
    public @Nullable Outcome<T> peekOutcome() {
        return state == State.DONE ? outcome : null;
    }

    @Override
    public void onDone(Consumer<? super Task<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        sched.checkOnTurn("Task.onDone");
        if (state == State.DONE) {
            sched.runCallback(this, callback);
        } else {
            callbacks = add(callbacks, callback);
        }
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> f = completion();
        markObserved();
        return f.copy();
    }

    /** The future completed when this task ends, without counting as observing it. From any thread. */
    CompletableFuture<T> completion() {
        CompletableFuture<T> f = future;
        if (f == null) {
            synchronized (this) {
                f = future;
                if (f == null) {
                    f = new CompletableFuture<>();
                    future = f;
                    Outcome<T> o = outcome;
                    if (state == State.DONE && o != null) {
                        complete(f, o);
                    }
                }
            }
        }
        return f;
    }

    /** Completes {@code f} as {@code o} ended: with the value, the failure or the cancellation. */
    static <T> void complete(CompletableFuture<T> f, Outcome<T> o) {
        switch (o) {
            case Outcome.Success<T> s -> f.complete(s.value());
            case Outcome.Failure<T> x -> f.completeExceptionally(x.exception());
            case Outcome.Cancelled<T> c -> f.completeExceptionally(c.exception());
        }
    }

    /** Removes a callback added by {@link #onDone}, if it has not run. On the turn. */
    void removeCallback(Object callback) {
        callbacks = remove(callbacks, callback);
    }

    /** What the task waits for, while it is suspended. */
    public @Nullable Object blocker() {
        return blocker;
    }

    /** Why the task last gave up the turn (off the loop: a snapshot). */
    @Nullable WaitReason waitReason() {
        return waitReason;
    }

    /** Real time ({@code System.nanoTime}) at which the task last got or gave up the turn; 0 before its first turn. */
    long since() {
        return since;
    }

    /** Real time during which the task has held the turn so far, in nanoseconds (to its last suspension). */
    long busyNanos() {
        return busyNanos;
    }

    /** Real time ({@code System.nanoTime}) at which the task was spawned, to within a turn. From any thread. */
    long spawnedAt() {
        return spawnedAt;
    }

    /** The task got the turn at {@code now} (real time). On the turn. */
    void turnBegins(long now) {
        since = now;
    }

    /** The task gives up the turn at {@code now}, for {@code reason}; returns how long it held it. On the turn. */
    long turnEnds(long now, @Nullable WaitReason reason) {
        long held = now - since;
        busyNanos += held;
        since = now;
        waitReason = reason;
        return held;
    }

    @Override
    public String toString() {
        return "task '" + name() + "'";
    }

    // ---------------------------------------------------------------- running

    /** The body of the task's virtual thread: runs the task to its end. */
    void runTask() {
        CURRENT.set(this);
        sched.awaitTurn(this);
        state = State.RUNNING;
        sched.resumed(this);
        Outcome<T> o;
        try {
            checkCancelled(); // a task cancelled before its first turn never runs its body (asyncio's rule)
            T value = Objects.requireNonNull(body, "a task runs once").run();
            if (rootCancellationThrown != null && rootCancellation() != null) {
                sched.reportSwallowedCancellation(this);
            }
            o = new Outcome.Success<>(value);
        } catch (CancelledException e) { // its own, or one of a scope inside it that no block caught
            o = new Outcome.Cancelled<>(name(), e);
        } catch (Throwable t) {
            o = new Outcome.Failure<>(name(), t);
        }
        body = null; // a done task may be kept long after: let go of what it captured, and its spawner
        spawner = null;
        lastDelivered = null;
        lastDeliveredFor = null;
        try {
            finish(o);
        } finally {
            sched.exit(this); // whatever happened, the turn goes on
        }
    }

    private void finish(Outcome<T> o) {
        while (innermost != this) {
            innermost.closeScope();
        }
        outcome = o;
        state = State.DONE;
        Scope p = parent;
        detach();
        if (p != null) {
            p.childFinished(this);
        }
        if (o instanceof Outcome.Failure<T> x && !observed) {
            watch = FailureWatch.start(this, x.exception(), sched.reporter());
            sched.watchUnobserved(watch);
        }
        sched.finished(this);
        forEach(waiters, w -> sched.resume((Fiber<?>) w));
        waiters = null;
        CompletableFuture<T> f = future;
        if (f != null) {
            complete(f, o);
        }
        Object cbs = callbacks;
        callbacks = null;
        forEach(cbs, cb -> {
            @SuppressWarnings("unchecked")
            Consumer<? super Task<T>> c = (Consumer<? super Task<T>>) cb;
            sched.runCallback(this, c);
        });
    }

    // ---------------------------------------------------------------- suspension

    /**
     * Gives up the turn until {@link Scheduler#resume} or a cancellation wakes this fiber, the current
     * one. A normal wake-up wins over a cancellation that comes after it: the fiber returns normally
     * and the cancellation is thrown at its next suspension point, so nothing handed to a waiter is
     * lost.
     *
     * @throws RuntimeException the cancellation of the innermost cancelled scope, if there is one when
     *     called or when woken for it
     */
    public void suspend(WaitReason reason, Object waitingFor) {
        checkRunning();
        checkCancelled();
        blocker = waitingFor;
        giveTurn(State.SUSPENDED, reason, waitingFor);
        blocker = null;
        if (cancelWake) {
            cancelWake = false;
            checkCancelled();
        }
    }

    /**
     * Runs blocking {@code call} on this fiber's thread, the current one, without holding the turn:
     * other tasks run meanwhile (a virtual thread blocked on a socket parks in the JDK's poller). When
     * the call returns the fiber waits for its turn again. A cancellation while the call runs runs
     * {@code abort} on the turn (closing the socket, say) to make the call end at once; then, and when
     * the fiber was cancelled anyway, the cancellation is thrown and the call's result dropped. A
     * suspension point.
     */
    public <R, X extends Throwable> R withoutTurn(WaitReason reason, Object waitingFor, Body<R, X> call,
            Runnable abort) throws X {
        return withoutTurn(reason, waitingFor, call, abort, null);
    }

    /** {@link #withoutTurn(WaitReason, Object, Body, Runnable)} for a call that returns nothing. */
    public <X extends Throwable> void withoutTurn(WaitReason reason, Object waitingFor, Action<X> call,
            Runnable abort) throws X {
        withoutTurn(reason, waitingFor, call.asBody(), abort, null);
    }

    /**
     * {@link #withoutTurn(WaitReason, Object, Body, Runnable)}, where {@code onDrop} (if not null) gets a
     * result that the call returned but a cancellation drops (an accepted socket, say, to close).
     */
    @SuppressWarnings("NullAway") // value is the call's own (null for a Void call); when the call threw it is not returned
    public <R, X extends Throwable> R withoutTurn(WaitReason reason, Object waitingFor, Body<R, X> call,
            Runnable abort, @Nullable Consumer<? super R> onDrop) throws X {
        checkRunning();
        checkCancelled();
        blocker = waitingFor;
        abortCall = abort;
        schedulePoints++;
        state = State.SUSPENDED;
        sched.suspended(this, reason, waitingFor);
        sched.beginExternalWait();
        sched.releaseTurn(this);
        R value = null;
        Throwable failure = null;
        try {
            value = call.run();
        } catch (Throwable t) {
            failure = t;
        }
        sched.returnTurn(this); // back on the turn, running
        state = State.RUNNING;
        sched.resumed(this);
        blocker = null;
        cancelWake = false;
        if (failure == null && onDrop != null && cancelledScope() != null) {
            onDrop.accept(value);
        }
        checkCancelled();
        if (failure != null) {
            throw Sneaky.<X>thrown(failure);
        }
        return value;
    }

    /** The call of {@link #withoutTurn} has returned: the fiber is ready for the turn. On the turn. */
    void callReturned() {
        assert sched.holdsTurn() && state == State.SUSPENDED : "a returned call is taken back on the turn";
        abortCall = null;
        sched.endExternalWait();
        sched.resume(this);
    }

    /** Throws the pending cancellation of this fiber, the current one, if any. A cancellation point. */
    public void checkCancelled() {
        cancelPoints++;
        Scope s = cancelledScope();
        if (s != null) {
            throw deliver(s);
        }
    }

    /** The scope {@code e} was thrown for at a suspension point of this task, or null if not known. */
    @Nullable Scope deliveredFor(Throwable e) {
        return e == lastDelivered ? lastDeliveredFor : null;
    }

    /** The exception a suspension point of this fiber throws for cancelled scope {@code s}. */
    RuntimeException deliver(Scope s) {
        RuntimeException e = s.cancellationFor(this);
        lastDelivered = e;
        lastDeliveredFor = s;
        if (s == this || s.owner != this) { // the task's root, or a scope around it: its own cancellation
            rootCancellationThrown = e; // it must not return normally
        }
        return e;
    }

    /**
     * A scope caught {@code e}, thrown at a suspension point, as its block ended (a shielded move-on
     * scope may catch the task's own cancellation, as trio's does), or replaced it by another
     * exception (the failure of a child that {@code TaskGroup.start} waited for): if the task is
     * still cancelled, its next suspension point throws again, so {@code e} was not swallowed.
     */
    void caught(Throwable e) {
        if (e == rootCancellationThrown) {
            rootCancellationThrown = null;
        }
    }

    /**
     * The cancelled scope at or above this task's root that reaches it, or null: whether the task
     * itself is cancelled (by {@link #cancel}, its group, or a scope around its group), as opposed to
     * a scope inside it.
     */
    private @Nullable Scope rootCancellation() {
        return firstCancelled(this);
    }

    /** Whether a cancellation (or an expired timeout) reaches this fiber: its next suspension point throws. */
    public boolean cancelPending() {
        return cancelledScope() != null;
    }

    /** asyncio.sleep(0): lets every other ready task run once, then continues. A cancellation point. */
    public void yieldTurn() {
        checkRunning();
        checkCancelled();
        yieldTurnShielded();
        checkCancelled();
    }

    /**
     * Lets every other ready task run once, then continues, without throwing a cancellation (trio's
     * cancel-shielded checkpoint): for after an operation whose result must not be lost, such as
     * bytes just read; the cancellation is thrown at the next suspension point.
     */
    public void yieldTurnShielded() {
        checkRunning();
        if (!sched.hasOtherWork()) {
            schedulePoints++; // nobody else could have run: as good as a switch
            return;
        }
        sched.takeInbox(); // what other threads handed the loop before this yield goes first, as in asyncio
        sched.enqueue(this);
        giveTurn(State.READY, WaitReason.YIELD, YIELD);
    }

    /** Gives the turn away in state {@code waiting} and returns, running, when it comes back. */
    private void giveTurn(State waiting, WaitReason reason, Object why) {
        schedulePoints++;
        state = waiting;
        sched.suspended(this, reason, why);
        sched.switchFrom(this);
        state = State.RUNNING;
        sched.resumed(this);
    }

    private void checkRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("cannot wait here: done callbacks, listeners and actions handed to"
                    + " the loop must not wait; spawn a task to do the waiting");
        }
    }

    /**
     * The nearest deadline of the scopes that reach this fiber, up to and including the first
     * shield; now if one of them is cancelled; {@code Long.MAX_VALUE} if none has a deadline.
     */
    public long effectiveDeadline() {
        long d = Long.MAX_VALUE;
        for (Scope s = innermost; s != null; s = s.parent) {
            d = Math.min(d, s.cancelled ? Math.min(s.deadlineNanos(), sched.now()) : s.deadlineNanos());
            if (s.shield) {
                break;
            }
        }
        return d;
    }

    /** How many cancellation points this task has passed; for checkpoint assertions. */
    public int cancelPoints() {
        return cancelPoints;
    }

    /** How many schedule points (where other tasks could run) this task has passed. */
    public int schedulePoints() {
        return schedulePoints;
    }

    /**
     * The cancelled scope whose exception this fiber's suspension points throw, or null if no
     * cancellation reaches it: the outermost cancelled scope that reaches it (as trio's and asyncio's
     * scopes decide it: when several are cancelled, the outer one wins), except that the failure of a
     * task group of its own, a failure and not a cancellation, comes first.
     */
    @Nullable Scope cancelledScope() {
        Scope outermost = null;
        for (Scope s = innermost; s != null; s = s.parent) {
            if (s.cancelled) {
                if (s.owner == this && s.failed()) {
                    return s;
                }
                outermost = s;
            }
            if (s.shield) {
                break;
            }
        }
        return outermost;
    }

    void wakeIfCancelled() {
        if (abortCall != null) { // in a blocking call: end it; the fiber comes back when it returns
            if (cancelledScope() != null) {
                Runnable abort = abortCall;
                abortCall = () -> {}; // once
                try {
                    abort.run();
                } catch (RuntimeException e) {
                    sched.reporter().report(System.Logger.Level.WARNING, "aborting a blocking call of " + this
                            + " for its cancellation threw", e);
                }
            }
            return;
        }
        if (state == State.SUSPENDED && cancelledScope() != null) {
            cancelWake = true;
            sched.resume(this);
        }
    }

    /** Makes this suspended fiber ready; returns false if it was not suspended. */
    boolean makeReady() {
        if (state != State.SUSPENDED || abortCall != null) { // a fiber in a blocking call comes back by itself
            return false;
        }
        state = State.READY;
        return true;
    }

    /** Registers {@code waiter} to be resumed when this task ends. */
    public void addWaiter(Fiber<?> waiter) {
        waiters = add(waiters, waiter);
    }

    public void removeWaiter(Fiber<?> waiter) {
        waiters = remove(waiters, waiter);
    }

    // Waiter and callback lists are usually empty or hold one element: store that element alone.

    private static Object add(@Nullable Object list, Object e) {
        if (list == null) {
            return e;
        }
        if (list instanceof Many m) {
            m.add(e);
            return m;
        }
        Many m = new Many();
        m.add(list);
        m.add(e);
        return m;
    }

    private static @Nullable Object remove(@Nullable Object list, Object e) {
        if (list == e) {
            return null;
        }
        if (list instanceof Many m) {
            m.remove(e);
        }
        return list;
    }

    private static void forEach(@Nullable Object list, Consumer<Object> action) {
        if (list instanceof Many m) {
            for (Object e : m) {
                action.accept(e);
            }
        } else if (list != null) {
            action.accept(list);
        }
    }

    private static final class Many extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;
    }
}
