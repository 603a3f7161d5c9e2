package dev.weft;

import dev.weft.trace.Recorder;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The engine of one run of a loop: the turn, the ready queue, the timers, the inbox from other
 * threads, and the driver that runs when no task holds the turn.
 *
 * <p>Design: each task runs on its own virtual thread, and exactly one thread of the run holds the
 * <em>turn</em> at a time: a task's, or the driver's (the run's own carrier thread, or the thread that
 * called {@code run} on the shared scheduler; see {@link CarrierQueue}). A task
 * gives the turn away only at a suspension point, directly to the next ready task (FIFO), and parks;
 * there is no central dispatcher on the hot path, so a switch costs one unpark and one park. When no
 * task is ready the turn goes to the driver, which fires timers, jumps a virtual clock, waits for
 * other threads or for channels (in the run's {@link IoPoller}), or diagnoses a deadlock. Everything except the inbox and the two hand-off flags is
 * touched only by the turn holder and needs no synchronisation: each hand-off is a volatile write of
 * the receiver's flag after all the giver did, and a volatile read by the receiver before all it does.
 *
 * <p>Other threads never touch loop state: they add actions to the inbox, which the turn holder runs
 * at its next switch, and wake the driver if it is idle.
 */
final class Scheduler {
    private final ArrayDeque<Fiber<?>> ready = new ArrayDeque<>();
    private final TimerHeap timers = new TimerHeap();
    /** The readiness poller, opened when a task first waits for a channel. */
    private volatile @Nullable IoPoller poller;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** Runs the tasks' continuations on the driver's thread when the loop has a carrier of its own; else null. */
    private final @Nullable CarrierQueue carrier;
    /** The tasks' threads on the shared scheduler; null with a carrier of its own. */
    private final @Nullable ThreadFactory threads;
    /** Whether a hand-off wakes the task after next early (on the shared scheduler only); see {@link #PREWAKE}. */
    private final boolean prewake;
    private final boolean virtualClock;
    private final boolean detectDeadlocks;
    private final long origin = System.nanoTime();
    private final @Nullable TaskListener listener;
    private final @Nullable Watchdog watchdog;
    private final @Nullable TraceListener trace;
    private final @Nullable Recorder recorder;
    private final java.nio.file.@Nullable Path tracePath;
    private final Reporter reporter;
    private long virtualNow;
    /** Real time of the last hand-off of the turn: when the next turn starts. On the turn. */
    private long handedOnAt = origin;
    /** The JFR event of the current turn, while a recording enables it; else null. On the turn. */
    private @Nullable TaskTurnEvent turnEvent;
    /** Real time tasks held the turn; written on the turn, read by tools as a snapshot. */
    private long busyNanos;
    /** Whether the turn holder is doing the driver's duties (timers, inbox, poll) rather than a task's work. */
    private boolean inDuties;
    private final Thread driver;
    /** The name of the thread that called {@code run}, which names the run in tools (traces, live view, JFR). */
    private final String runner;
    private volatile boolean driverHasTurn = true;
    private volatile boolean driverIdle;
    private volatile boolean accepting = true;
    private @Nullable Fiber<?> main;
    private @Nullable Fiber<?> current;
    private @Nullable Fiber<?> liveHead;
    private int liveCount;
    private long nextId;
    private int externalWaits;
    private final List<FailureWatch> unobserved = new ArrayList<>();
    /** Tasks in {@link #waitAllTasksBlocked}, woken one at a time whenever the others all wait. */
    private final ArrayDeque<Fiber<?>> blockedWaiters = new ArrayDeque<>();
    private int pruneAt = 64;
    private @Nullable DeadlockException deadlock;
    /**
     * Once main has ended: switches left before the tasks left over are cancelled, so that each task
     * ready then gets one more turn (asyncio's last iteration); 0 once they are cancelled.
     */
    private int turnsToCleanup = -1;
    /** Whether the driver's thread was interrupted during the run. */
    private boolean interrupted;

    /** The options of a run; see {@code Loop.Builder}. */
    public record Options(Loop.Carrier carrier, boolean virtualClock, java.time.@Nullable Duration stallThreshold, boolean detectDeadlocks,
            List<TaskListener> listeners, Reporter reporter, @Nullable Recorder recorder,
            java.nio.file.@Nullable Path tracePath) {}

    private final Loop loop;

    private static final java.util.concurrent.atomic.AtomicInteger CARRIERS = new java.util.concurrent.atomic.AtomicInteger();

    Scheduler(Options o, Loop loop) {
        this.loop = loop;
        Thread caller = Thread.currentThread();
        this.runner = caller.getName().isEmpty() ? "#" + caller.threadId() : caller.getName();
        if (o.carrier() == Loop.Carrier.OWN) {
            this.driver = Thread.ofPlatform().name("weft-loop-" + CARRIERS.incrementAndGet() + " (" + runner + ")")
                    .unstarted(this::carry);
            this.carrier = new CarrierQueue(this, driver);
            this.threads = null;
            this.prewake = false;
        } else {
            this.carrier = null;
            this.threads = Thread.ofVirtual().inheritInheritableThreadLocals(false).factory();
            this.driver = Thread.currentThread();
            this.prewake = PREWAKE;
        }
        this.virtualClock = o.virtualClock();
        this.detectDeadlocks = o.detectDeadlocks();
        this.reporter = o.reporter();
        this.tracePath = o.tracePath();
        java.time.Duration stall = o.stallThreshold();
        this.watchdog = stall == null ? null : new Watchdog(stall, reporter);
        Recorder r = o.recorder();
        if (r == null) {
            r = o.tracePath() != null ? Recorder.create() : Recorder.program().orElse(null);
        }
        this.recorder = r;
        this.trace = r == null ? null : new TraceListener(r, runner);
        // Weft's own observers are called directly; users' listeners through a dispatcher that survives them
        this.listener = o.listeners().isEmpty() ? null : Listeners.of(o.listeners(), reporter);
    }

    // ---------------------------------------------------------------- clock and timers

    /** The loop clock in nanoseconds since the run began: virtual or real. */
    public long now() {
        return virtualClock ? virtualNow : System.nanoTime() - origin;
    }

    public void schedule(Timer t, long deadline) {
        timers.add(t, deadline);
    }

    public void unschedule(Timer t) {
        timers.remove(t);
    }

    private void fireExpired(long now) {
        Timer t;
        while ((t = timers.peek()) != null && t.deadline <= now) {
            timers.poll();
            t.fire();
        }
    }

    // ---------------------------------------------------------------- tasks

    /** Creates a task, ready to get the turn after those already ready. On the turn. */
    public <T> Fiber<T> spawn(@Nullable String name, dev.weft.Body<T, ?> body, @Nullable Scope under) {
        return spawn(name, body, under, current);
    }

    private <T> Fiber<T> spawn(@Nullable String name, dev.weft.Body<T, ?> body, @Nullable Scope under,
            @Nullable Fiber<?> parent) {
        assert holdsTurn() : "loop state is touched only by the turn holder";
        Fiber<T> f = new Fiber<>(this, ++nextId, name, body, parent);
        f.attach(under);
        f.nextLive = liveHead;
        if (liveHead != null) {
            liveHead.prevLive = f;
        }
        liveHead = f;
        liveCount++;
        ready.add(f);
        if (mainDone()) {
            f.cancelScope("the main task had ended when this task was spawned");
        }
        if (trace != null) {
            trace.spawned(f, Optional.ofNullable(parent));
        }
        if (listener != null) {
            listener.spawned(f, Optional.ofNullable(parent));
        }
        return f;
    }

    private boolean mainDone() {
        return main != null && main.isDone();
    }

    /** The tasks that have not ended, newest first. On the turn. */
    public List<Fiber<?>> liveTasks() {
        List<Fiber<?>> out = new ArrayList<>(liveCount);
        for (Fiber<?> f = liveHead; f != null; f = f.nextLive) {
            out.add(f);
        }
        return out;
    }

    /**
     * Keeps {@code w} until the run ends, to report it then if neither the garbage collector nor an
     * observer settled it first; settled watches are dropped as the list grows.
     */
    void watchUnobserved(FailureWatch w) {
        unobserved.add(w);
        if (unobserved.size() >= pruneAt) {
            unobserved.removeIf(FailureWatch::isSettled);
            pruneAt = Math.max(64, 2 * unobserved.size());
        }
    }

    void finished(Fiber<?> f) {
        if (f.prevLive != null) {
            f.prevLive.nextLive = f.nextLive;
        } else {
            liveHead = f.nextLive;
        }
        if (f.nextLive != null) {
            f.nextLive.prevLive = f.prevLive;
        }
        f.prevLive = null;
        f.nextLive = null;
        liveCount--;
        turnEnds(f, null);
        if (watchdog != null) {
            watchdog.finished(f);
        }
        if (trace != null) {
            trace.finished(f);
        }
        if (listener != null) {
            listener.finished(f);
        }
    }

    /** Makes a suspended fiber ready to run; does nothing if it is not suspended. On the turn. */
    public void resume(Fiber<?> f) {
        wake(f);
    }

    /**
     * Makes {@code f} ready if it is suspended and returns true; returns false if it is not (it was
     * already woken, by a cancellation or a timer, and has not run yet). On the turn.
     */
    boolean wake(Fiber<?> f) {
        assert holdsTurn() : "loop state is touched only by the turn holder";
        if (f.makeReady()) { // SUSPENDED -> READY once: a task is queued at most once
            ready.add(f);
            if (trace != null || listener != null) {
                Optional<Task<?>> by = Optional.ofNullable(inDuties ? null : current);
                if (trace != null) {
                    trace.woken(f, by);
                }
                if (listener != null) {
                    listener.woken(f, by);
                }
            }
            return true;
        }
        return false;
    }

    /** The poller of this run's channels, opened on first use. On the turn. */
    IoPoller poller() {
        IoPoller p = poller;
        if (p == null) {
            p = new IoPoller(this);
            poller = p;
        }
        return p;
    }

    /** Whether this run has ended; from any thread. */
    boolean ended() {
        return !accepting;
    }

    /** Queues {@code f}, the running task, behind the ready ones (a yield). On the turn. */
    void enqueue(Fiber<?> f) {
        assert f == current && f.state() == Task.State.RUNNING : "only the running task queues itself";
        ready.add(f);
    }

    /** Whether a yield has anything to let run first: tasks, actions, timers, channels to poll, or the carrier's queue from other threads. */
    boolean hasOtherWork() {
        Timer t;
        IoPoller p = poller;
        return !ready.isEmpty() || !inbox.isEmpty() || turnsToCleanup > 0 || (p != null && p.hasWaiters())
                || (carrier != null && carrier.hasRemote())
                || ((t = timers.peek()) != null && t.deadline <= now());
    }

    /** Counts an outside source of wake-ups (a thread, a future, I/O) that a task waits for. On the turn. */
    public void beginExternalWait() {
        externalWaits++;
    }

    public void endExternalWait() {
        externalWaits--;
    }

    // ---------------------------------------------------------------- the turn

    /** Whether the current thread holds the turn. */
    public boolean holdsTurn() {
        Fiber<?> c = current;
        return c != null ? c.thread == Thread.currentThread()
                : driver == Thread.currentThread() && driverHasTurn;
    }

    public void checkOnTurn(String what) {
        if (!holdsTurn()) {
            throw new IllegalStateException(what + " must be called from a task of its loop;"
                    + " from another thread, hand the work to the loop with Loop.submit(...)");
        }
    }

    /** Runs {@code action} now if the caller holds the turn, else on the turn soon. From any thread. */
    public void onTurn(Runnable action) {
        if (holdsTurn()) {
            action.run();
        } else {
            post(action);
        }
    }

    /** Queues {@code action} to run on the turn at the next switch. From any thread. */
    public void post(Runnable action) {
        inbox.add(action);
        wakeIfIdle();
    }

    /**
     * Wakes the driver if it is idle (parked or in the poller), after something was queued for it.
     * From any thread; see the inbox/idle handshake in docs/architecture.md.
     */
    void wakeIfIdle() {
        if (driverIdle) {
            LockSupport.unpark(driver);
            IoPoller p = poller;
            if (p != null) {
                p.wakeup();
            }
        }
    }

    /** The name of the thread that called {@code run}: the run's name in tools. */
    String runner() {
        return runner;
    }

    /** The {@code Loop} this run belongs to. */
    Loop loop() {
        return loop;
    }

    /**
     * Runs {@code body} as a new task of this run, from any thread; the future completes with its
     * outcome, or with an {@link IllegalStateException} if the run ends before the task can start.
     */
    public <T> java.util.concurrent.CompletableFuture<T> submit(dev.weft.Body<T, ?> body) {
        var cf = new java.util.concurrent.CompletableFuture<T>();
        Runnable r = () -> {
            if (!accepting || mainDone()) {
                cf.completeExceptionally(new IllegalStateException(
                        "the loop's run ended before the submitted task could start"));
                return;
            }
            Fiber<T> f = spawn(null, body, null, null);
            f.observed = true;
            f.onDone(t -> Fiber.complete(cf, f.outcome()));
        };
        post(r);
        if (!accepting && inbox.remove(r)) { // the run ended and will not drain the inbox again
            r.run();
        }
        return cf;
    }

    /** Runs the actions other threads handed the loop so far. On the turn. */
    void takeInbox() {
        if (!inbox.isEmpty()) {
            inDuties = true;
            try {
                drainInbox();
            } finally {
                inDuties = false;
            }
        }
    }

    private void drainInbox() {
        Runnable r;
        while ((r = inbox.poll()) != null) {
            try {
                r.run();
            } catch (Throwable e) { // an Error too: the turn holder must survive to hand the turn on
                reporter.report(Level.ERROR, "an action handed to the loop threw", e);
            }
        }
    }

    private @Nullable Fiber<?> pollReady() {
        inDuties = true;
        try {
            return pollReady0();
        } finally {
            inDuties = false;
        }
    }

    private @Nullable Fiber<?> pollReady0() {
        if (turnsToCleanup > 0 && --turnsToCleanup == 0) {
            cancelAll("the main task ended");
        }
        if (!inbox.isEmpty()) {
            drainInbox();
        }
        Timer t = timers.peek();
        if (t != null) {
            long now = now();
            if (t.deadline <= now) {
                fireExpired(now);
            }
        }
        IoPoller p = poller;
        if (p != null) {
            p.pollIfDue(ready.size());
        }
        return ready.poll();
    }

    private void transferTo(Fiber<?> next) {
        assert next.state() == Task.State.READY || next.state() == Task.State.NEW
                : "only a ready (or new) task gets the turn: " + next + " is " + next.state();
        IoPoller p = poller;
        Fiber<?> after = prewake && (p == null || !p.hasWaiters()) ? ready.peek() : null;
        Thread afterThread = after == null ? null : after.thread; // a new task is not started early: it costs more
        current = next;
        Thread thread = next.thread;
        boolean fresh = thread == null;
        if (thread == null) {
            thread = threads != null ? threads.newThread(next::runTask)
                    : OwnCarrier.newThread(new TaskScheduler(java.util.Objects.requireNonNull(carrier)), next::runTask);
            next.thread = thread;
        }
        next.hasTurn = true;
        // From here on the turn is next's: touch only what no task changes (threads, prewoken).
        if (fresh) {
            thread.start();
        } else {
            LockSupport.unpark(thread);
        }
        if (after != null && afterThread != null && !after.prewoken) {
            after.prewoken = true;
            LockSupport.unpark(afterThread);
        }
    }

    /**
     * Whether to wake the task after next early, so it waits for the turn spinning on another carrier.
     * Not while tasks wait for I/O: a turn that makes system calls lasts longer than the spin, which
     * then only takes a core from the peers of the loop's connections.
     */
    private static final boolean PREWAKE = !"1".equals(System.getProperty("jdk.virtualThreadScheduler.parallelism"))
            && Runtime.getRuntime().availableProcessors() > 1
            && !Boolean.getBoolean("weft.noPrewake");

    /** Spins of a woken task waiting for the turn before it parks again. */
    private static final int SPINS = 2_000;

    /** Parks until {@code self} has the turn; once woken early, spins a little before parking again. */
    void awaitTurn(Fiber<?> self) {
        while (!self.hasTurn) {
            LockSupport.park(this);
            if (self.prewoken) {
                self.prewoken = false;
                for (int i = 0; i < SPINS && !self.hasTurn; i++) {
                    Thread.onSpinWait();
                }
            }
        }
        assert current == self : "the turn came back to " + self + ", and with it the loop state";
    }

    private void transferToDriver() {
        current = null;
        driverHasTurn = true;
        if (carrier == null) { // on its own carrier the giver runs on the driver's thread, which sees the flag when it parks
            LockSupport.unpark(driver);
        }
    }

    /** Gives the turn to the next ready task (or the driver) and parks until {@code self} has it again. */
    void switchFrom(Fiber<?> self) {
        Fiber<?> next = pollReady();
        if (next == self) { // a yield with nobody else ready
            if (carrier == null || !carrier.hasRemote()) {
                return;
            }
            // what other threads queued for the carrier runs first (a blocking call returning, say): the
            // driver runs it while it waits for the turn it hands straight back to self, first in line
            ready.addFirst(self);
            next = null;
        }
        handOff(self, next);
        awaitTurn(self);
    }

    /** {@code self} gives the turn away to run a blocking call; see {@link Fiber#withoutTurn}. */
    void releaseTurn(Fiber<?> self) {
        handOff(self, pollReady());
    }

    /** From {@code self}'s thread, which does not hold the turn: asks for it back and waits for it. */
    void returnTurn(Fiber<?> self) {
        post(self::callReturned);
        awaitTurn(self);
    }

    /** Hands the turn on for good: {@code self} has ended and its thread is about to end. */
    void exit(Fiber<?> self) {
        if (self == main) { // its waiters are ready by now: they get their turn too
            turnsToCleanup = ready.size() + 1;
        }
        handOff(self, pollReady());
        self.thread = null; // read only by the task itself and the watchdog; lets the ended thread go
    }

    /** {@code self} gives the turn to {@code next}, or to the driver when no task is ready. */
    private void handOff(Fiber<?> self, @Nullable Fiber<?> next) {
        assert self.hasTurn && current == self : "only the turn holder hands the turn on";
        self.hasTurn = false;
        if (next != null) {
            transferTo(next);
        } else {
            transferToDriver();
        }
    }

    /** {@code f} got the turn. On the turn. */
    void resumed(Fiber<?> f) {
        f.turnBegins(handedOnAt);
        turnEvent = TaskTurnEvent.begin(f, runner);
        if (watchdog != null) {
            watchdog.resumed(f);
        }
        if (trace != null) {
            trace.resumed(f);
        }
        if (listener != null) {
            listener.resumed(f);
        }
    }

    /** {@code f} gives up the turn at a suspension point, for {@code reason}. On the turn. */
    void suspended(Fiber<?> f, WaitReason reason, Object why) {
        turnEnds(f, reason);
        if (watchdog != null) {
            watchdog.suspended(f, reason, why);
        }
        if (trace != null) {
            trace.suspended(f, reason, why);
        }
        if (listener != null) {
            listener.suspended(f, reason, why);
        }
    }

    /**
     * Ends {@code f}'s turn: one clock read per switch, which also starts the next turn (the receiver
     * takes {@link #handedOnAt} as its start).
     */
    private void turnEnds(Fiber<?> f, @Nullable WaitReason reason) {
        long now = System.nanoTime();
        busyNanos += f.turnEnds(now, reason);
        handedOnAt = now;
        TaskTurnEvent e = turnEvent;
        if (e != null) {
            turnEvent = null;
            e.commit();
        }
    }

    /** Real time at which the current turn began (the run's start before the first). On the turn. */
    long turnStart() {
        return handedOnAt;
    }

    /** Real time during which tasks of this run held the turn, in nanoseconds; from any thread, a snapshot. */
    long busyNanos() {
        return busyNanos;
    }

    /** The newest live task, whose {@code nextLive} links lead to the others; off the loop, see LoopSnapshot. */
    @Nullable Fiber<?> liveHead() {
        return liveHead;
    }

    /** How many tasks have not ended; off the loop, a snapshot. */
    int liveCount() {
        return liveCount;
    }

    /** Real time ({@code System.nanoTime}) at which the run began. */
    long startedAt() {
        return origin;
    }

    /** The stall watchdog, or null if it is off. */
    @Nullable Watchdog watchdog() {
        return watchdog;
    }

    // ---------------------------------------------------------------- the driver

    /**
     * Runs until {@code main} and every task spawned on the way have ended: when main ends, the
     * leftovers are cancelled and awaited. Called by the thread that runs the loop: on the shared
     * scheduler it drives the run itself, holding the turn whenever no task does; with a carrier of its
     * own it starts the run's carrier thread, which does, waits for it and forwards its interrupt.
     *
     * @return main's outcome
     * @throws DeadlockException if the tasks deadlocked
     */
    public <T> Outcome<T> runMain(dev.weft.Body<T, ?> body) {
        if (carrier == null) {
            return spawnAndDrive(body);
        }
        var run = new Object() {
            @Nullable Outcome<T> outcome;
            @Nullable Throwable thrown;
        };
        onCarrier = () -> {
            try {
                run.outcome = spawnAndDrive(body);
            } catch (Throwable e) { // a deadlock, or an Error: the caller throws it
                run.thrown = e;
            }
        };
        driver.start();
        boolean callerInterrupted = false;
        for (;;) {
            try {
                driver.join(); // its end happens-before this returns: run's fields are visible
                break;
            } catch (InterruptedException e) {
                if (!callerInterrupted) {
                    callerInterrupted = true;
                    interruptMain();
                }
            }
        }
        if (callerInterrupted) {
            Thread.currentThread().interrupt(); // the caller still sees it
        }
        Throwable t = run.thrown;
        if (t != null) {
            if (t instanceof Error e) {
                throw e;
            }
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
        return java.util.Objects.requireNonNull(run.outcome);
    }

    /**
     * What the loop's own carrier thread runs, set before it starts: the run. An interrupt of the
     * thread that called {@code run} is forwarded to the loop by that thread, which waits for this one
     * ({@link #runMain}): the carrier's own interrupt status does not survive the mounting of virtual
     * threads on it.
     */
    private @Nullable Runnable onCarrier;

    private void carry() {
        java.util.Objects.requireNonNull(onCarrier, "the run to carry").run();
    }

    private <T> Outcome<T> spawnAndDrive(dev.weft.Body<T, ?> body) {
        Fiber<T> main = spawn("main", body, null, null);
        main.observed = true;
        this.main = main;
        return drive(main);
    }

    private <T> Outcome<T> drive(Fiber<T> main) {
        Recorder.Activation recording = null;
        try { // what starts here is undone in the finally, also when starting it fails
            if (watchdog != null) {
                watchdog.start();
            }
            recording = recorder == null ? null : recorder.activate();
            LiveView.register(this);
            for (;;) {
                Fiber<?> next = pollReady();
                if (next != null) {
                    driverHasTurn = false;
                    handedOnAt = System.nanoTime(); // the driver's own time is not a task's
                    transferTo(next);
                    awaitDriverTurn();
                } else if (liveCount == 0) {
                    break;
                } else if (turnsToCleanup > 0) { // nothing ready: no need to wait for the turns
                    turnsToCleanup = 0;
                    cancelAll("the main task ended");
                } else if (!wakeBlockedWaiter() && !idle()) {
                    break;
                }
            }
        } finally {
            LiveView.unregister(this);
            accepting = false;
            drainInbox();
            if (poller != null) {
                poller.close();
            }
            if (watchdog != null) {
                watchdog.stop();
            }
            if (recording != null) {
                recording.close();
                writeTrace();
            }
            if (interrupted) {
                Thread.currentThread().interrupt(); // the caller still sees it
            }
        }
        reportUnobserved();
        if (deadlock != null) {
            throw deadlock;
        }
        return main.outcome();
    }

    /** Writes the files {@code Loop.Builder.trace} asked for, and the advisor's summary to the reporter. */
    private void writeTrace() {
        Recorder r = recorder;
        java.nio.file.Path file = tracePath;
        if (r == null || file == null) {
            return;
        }
        try {
            java.nio.file.Path timeline = r.write(file);
            reporter.report(Level.INFO, "trace: " + file + "\ntimeline: " + timeline + "\n" + r.summary(), null);
        } catch (java.io.IOException | RuntimeException e) {
            reporter.report(Level.WARNING, "could not write the trace to " + file, e);
        }
    }

    /**
     * Suspends {@code self}, the current task, until every other task of the run waits (trio's
     * {@code wait_all_tasks_blocked}): none is ready, no action from another thread is queued, no
     * timer is due, and a poll of the channels just now found none ready. A suspension point; the
     * virtual clock does not jump while a task waits here.
     */
    public void waitAllTasksBlocked(Fiber<?> self) {
        self.checkCancelled();
        blockedWaiters.add(self);
        try {
            self.suspend(WaitReason.OTHER, ALL_BLOCKED);
        } finally {
            blockedWaiters.remove(self);
        }
    }

    private static final Object ALL_BLOCKED = new Object() {
        @Override
        public String toString() {
            return "every other task to wait (waitAllTasksBlocked)";
        }
    };

    /** With no task ready: wakes the first task in {@link #waitAllTasksBlocked} if nothing else is due. */
    private boolean wakeBlockedWaiter() {
        if (blockedWaiters.isEmpty() || !inbox.isEmpty()) {
            return false;
        }
        Timer t = timers.peek();
        if (t != null && t.deadline <= now()) {
            return false;
        }
        return wake(blockedWaiters.poll()); // pollReady has just polled the channels, if any are waited for
    }

    /**
     * Waits until the turn comes back to the driver: parked or, on a carrier of its own, running the
     * continuations the JDK queues meanwhile (the task given the turn first). While parked there, the
     * turn holder is blocked inside the JDK (a {@code Thread.sleep}, a blocking socket): the driver
     * counts as idle, so that its continuation, queued from another thread, wakes it.
     */
    private void awaitDriverTurn() {
        CarrierQueue c = carrier;
        while (!driverHasTurn) {
            if (c == null) {
                parkDriver(FOREVER);
            } else if (!c.runOne()) {
                driverIdle = true;
                try {
                    if (c.isEmpty()) {
                        parkDriver(FOREVER);
                    }
                } finally {
                    driverIdle = false;
                }
            }
        }
    }

    /** Waits for something to do; returns false if the run must be abandoned. */
    private boolean idle() {
        if (!inbox.isEmpty() || (carrier != null && carrier.runOne())) { // a blocking call's thread, say
            return true;
        }
        Timer t = timers.peek();
        if (externalWaits == 0) {
            if (t == null) {
                return detectDeadlocks ? deadlocked() : waitForInbox(FOREVER);
            }
            if (virtualClock) {
                virtualNow = Math.max(virtualNow, t.deadline);
                return true;
            }
        }
        if (t == null || virtualClock) {
            return waitForInbox(FOREVER);
        }
        long left = t.deadline - now();
        return left <= 0 || waitForInbox(left); // a timer that came due meanwhile fires at once
    }

    private static final long FOREVER = Long.MAX_VALUE;

    /**
     * Waits until the inbox has work, a channel a task waits for is ready, or {@code nanos} have
     * passed ({@link #FOREVER}: no limit).
     */
    private boolean waitForInbox(long nanos) {
        assert current == null && driverHasTurn : "only the driver idles, holding the turn";
        driverIdle = true;
        try {
            if (inbox.isEmpty() && (carrier == null || carrier.isEmpty())) {
                IoPoller p = poller;
                if (p != null && p.hasWaiters()) {
                    p.poll(nanos);
                    recordInterrupt();
                } else {
                    parkDriver(nanos);
                }
            }
        } finally {
            driverIdle = false;
        }
        return true;
    }

    /** Parks the driver; see {@link #recordInterrupt} for an interrupt. */
    private void parkDriver(long nanos) {
        if (nanos == FOREVER) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, nanos);
        }
        recordInterrupt();
    }

    /**
     * Notes an interrupt of the driver's thread (and clears it, else every later park would return at
     * once and the driver would spin); the first one cancels the main task, as asyncio does on Ctrl-C,
     * at the next switch of whoever holds the turn, and the run goes on to clean up.
     */
    private void recordInterrupt() {
        if (Thread.interrupted() && !interrupted) {
            interrupted = true;
            interruptMain();
        }
    }

    /** Cancels the main task for an interrupt of the thread that runs the loop (asyncio's Ctrl-C). From any thread. */
    private void interruptMain() {
        post(() -> {
            Fiber<?> m = main;
            if (m != null) {
                m.cancel("the thread running the loop was interrupted");
            }
        });
    }

    private boolean deadlocked() {
        if (deadlock != null) {
            reporter.report(Level.ERROR, "tasks of a deadlocked run deadlocked again while cleaning up;"
                    + " abandoning them:\n" + describe(), null);
            return false;
        }
        String message = "deadlock: every task waits and nothing can wake any of them"
                + " (no timer, no other thread, no I/O):\n" + describe();
        deadlock = new DeadlockException(message);
        DeadlockEvent.commit(liveTasks(), message);
        cancelAll("the run deadlocked");
        return true;
    }

    private String describe() {
        StringBuilder sb = new StringBuilder();
        List<Fiber<?>> live = liveTasks();
        for (int i = live.size() - 1; i >= 0; i--) {
            Fiber<?> f = live.get(i);
            sb.append("  ").append(f).append(" waits for ").append(f.blocker()).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    private void cancelAll(String reason) {
        for (Fiber<?> f : liveTasks()) {
            f.cancel(reason);
        }
    }

    void reportSwallowedCancellation(Fiber<?> f) {
        reporter.report(Level.WARNING, f + " caught its CancelledException and returned normally;"
                + " a cancelled task must let it propagate (clean up in finally)", null);
    }

    <T> void runCallback(Fiber<T> f, java.util.function.Consumer<? super dev.weft.Task<T>> cb) {
        try {
            cb.accept(f);
        } catch (Throwable e) { // an Error too: the ending task still has to hand the turn on
            reporter.report(Level.ERROR, "a done callback of " + f + " threw", e);
        }
    }

    private void reportUnobserved() {
        unobserved.forEach(FailureWatch::run);
        unobserved.clear();
    }

    public Reporter reporter() {
        return reporter;
    }
}
