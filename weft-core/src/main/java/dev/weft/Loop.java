package dev.weft;

import dev.weft.internal.Args;
import dev.weft.trace.Recorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * An event loop: runs a main task and everything it spawns, one task at a time, on the calling
 * thread's behalf (asyncio's {@code Runner}). {@link Weft#run} makes a default one for a single run;
 * build one to choose options or to run several mains in turn.
 *
 * <pre>{@code
 * try (Loop loop = Loop.builder().virtualClock().build()) {
 *     loop.run(() -> Weft.sleep(Duration.ofHours(1)));   // returns at once: time is virtual
 * }
 * }</pre>
 *
 * <p>{@link #submit} is the thread-safe entry: other threads hand work to a running loop through it.
 * Every other method of Weft must be called from a task of the loop.
 *
 * <p>Where the JVM lets it ({@code --add-opens java.base/java.lang=ALL-UNNAMED}), a loop runs all its
 * tasks on one platform thread of its own, its {@linkplain Carrier#OWN carrier}, so a task switch is
 * a switch of continuations on that thread, as asyncio's is a function call; without the flag it
 * runs them on the JDK's shared virtual-thread scheduler and says so once. See {@link Carrier}.
 */
public final class Loop implements AutoCloseable {
    private final Scheduler.Options options;
    private volatile @Nullable Scheduler active;
    private boolean closed;

    private Loop(Scheduler.Options options) {
        this.options = options;
    }

    /** Options for a new loop. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where a loop's tasks run. The turn rules are the same in both: one task at a time, handed on at
     * suspension points; a task that blocks without suspending holds the loop; {@link Weft#toThread}
     * runs elsewhere.
     */
    public enum Carrier {
        /**
         * The loop runs every task, and its own duties (timers, the poll of channels, work handed to
         * it by other threads), on one platform thread of its own for each run, named
         * {@code weft-loop-N (caller)}; the thread that called {@code run} waits for it. A loop then uses one
         * core, as asyncio's does: for more, run one loop per core. Needs
         * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (or {@code =dev.weft} on the module
         * path). Inside a task, a JDK call that blocks its virtual thread (a {@code Thread.sleep}, a
         * blocking socket, a contended {@code synchronized}) holds the loop until it returns, as in
         * the shared mode; but a Weft suspension point reached while the virtual thread is pinned to
         * its carrier (inside a class initializer or a native frame) cannot hand the turn on: keep
         * suspension points out of static initializers.
         */
        OWN,
        /**
         * The loop's tasks are virtual threads of the JDK's shared scheduler; the thread that calls
         * {@code run} does the loop's duties. A switch wakes another thread. Always available.
         */
        SHARED;

        /**
         * The mode of a loop built without {@link Builder#carrier}: {@link #OWN} where available, else
         * {@link #SHARED} (said once through {@code System.Logger} "dev.weft", with the flag to add).
         * The system property {@code weft.carrier} ({@code own} or {@code shared}) overrides it.
         *
         * @throws IllegalStateException if {@code weft.carrier} has another value, or asks for
         *     {@code own} where it is not available
         */
        public static Carrier byDefault() {
            String p = System.getProperty("weft.carrier");
            if (p == null || p.isBlank()) {
                if (OwnCarrier.unavailable() == null) {
                    return OWN;
                }
                OwnCarrier.tellFallbackOnce();
                return SHARED;
            }
            return switch (p.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "own" -> OWN.checkAvailable();
                case "shared" -> SHARED;
                default -> throw new IllegalStateException("system property weft.carrier is '" + p
                        + "': use own or shared, or leave it unset");
            };
        }

        /**
         * Whether this mode can run in this JVM; only {@link #OWN} may not (without the flag, or on a
         * JDK without the builder it uses).
         */
        public boolean isAvailable() {
            return this == SHARED || OwnCarrier.unavailable() == null;
        }

        private Carrier checkAvailable() {
            String why = this == OWN ? OwnCarrier.unavailable() : null;
            if (why != null) {
                throw new IllegalStateException("a loop cannot have a carrier of its own here: " + why);
            }
            return this;
        }
    }

    /** Where this loop runs its tasks. */
    public Carrier carrier() {
        return options.carrier();
    }

    /**
     * Runs {@code main} as the loop's main task and returns its value, or throws what it threw
     * (asyncio.run). When main ends, the tasks that were ready get one more turn, then tasks still
     * running are cancelled and awaited before this returns. An interrupt of the calling thread
     * cancels main (asyncio's Ctrl-C) and stays set.
     *
     * @throws CancelledException if main was cancelled; also when the thread calling this is
     *     interrupted, which cancels main as Ctrl-C does in asyncio (the interrupt is kept set)
     * @throws DeadlockException if the tasks deadlocked (they are cancelled first)
     * @throws IllegalStateException if called from a task, or the loop is running or closed
     */
    public <T, X extends Throwable> T run(Body<T, X> main) throws X {
        Objects.requireNonNull(main, "main");
        if (Fiber.current() != null) {
            throw new IllegalStateException("Loop.run was called from inside a task, which already runs on a loop:"
                    + " use Weft.spawn and Weft.await there instead of a nested run");
        }
        Scheduler s;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("this loop is closed: build a new one with Loop.builder()");
            }
            if (active != null) {
                throw new IllegalStateException("this loop is already running a main task");
            }
            s = new Scheduler(options, this);
            active = s;
        }
        try {
            return switch (s.runMain(main)) {
                case Outcome.Success<T> ok -> ok.value();
                case Outcome.Failure<T> f -> throw Sneaky.<X>thrown(f.exception());
                case Outcome.Cancelled<T> c -> throw c.exception();
            };
        } finally {
            active = null;
        }
    }

    /** Runs {@code main}, which returns nothing; see {@link #run(Body)}. */
    public <X extends Throwable> void run(Action<X> main) throws X {
        run(Objects.requireNonNull(main, "main").asBody());
    }

    /**
     * Runs {@code body} as a new task of the running loop, from any thread (asyncio's
     * {@code run_coroutine_threadsafe}). The future completes with the task's value or exception; it
     * fails with an {@link IllegalStateException} if the loop is not running or its run ends before
     * the task starts. Cancelling the future does not cancel the task.
     *
     * <p>Memory consistency effects: actions of the submitting thread before {@code submit}
     * happen-before the task runs; the task's actions happen-before the future completes.
     */
    public <T> CompletableFuture<T> submit(Body<T, ?> body) {
        Objects.requireNonNull(body, "body");
        Scheduler s = active;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "this loop is not running: submit work while loop.run(...) is in progress"));
        }
        return s.submit(body);
    }

    /** {@link #submit(Body)} for work that returns nothing: {@code loop.submit(() -> event.set())}. */
    public CompletableFuture<Void> submit(Action<?> action) {
        return submit(Objects.requireNonNull(action, "action").asBody());
    }

    /** Whether a main task is running. */
    public boolean isRunning() {
        return active != null;
    }

    /** Closes the loop: later runs fail. Idempotent. Does not stop a run in progress. */
    @Override
    public synchronized void close() {
        closed = true;
    }

    /** Options of a {@link Loop}. Not thread-safe. */
    public static final class Builder {
        private @Nullable Carrier carrier;
        private boolean virtualClock;
        private @Nullable Duration stallThreshold = Duration.ofMillis(100);
        private boolean detectDeadlocks = true;
        private final List<TaskListener> listeners = new ArrayList<>();
        private Reporter reporter = Reporter.systemLogger();
        private @Nullable Recorder recorder;
        private @Nullable Path tracePath;

        private Builder() {}

        /**
         * Uses a virtual clock: time stands still while tasks run and jumps to the next timer whenever
         * every task waits only on timers, so an hour of sleeps and timeouts takes milliseconds. While
         * a task waits for another thread or I/O, time does not move. For tests.
         */
        public Builder virtualClock() {
            this.virtualClock = true;
            return this;
        }

        /**
         * Reports a task that holds the loop longer than {@code threshold} without suspending (default
         * 100 ms), while the stall lasts, with its stack.
         *
         * @throws IllegalArgumentException if {@code threshold} is not positive
         */
        public Builder stallThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "threshold");
            // the name says how to switch the watchdog off, which a zero might have been meant to do
            this.stallThreshold = Args.positive(threshold, "stallThreshold (noStallWatchdog() switches it off)");
            return this;
        }

        /** Switches the stall watchdog off: a task holding the loop is not reported. */
        public Builder noStallWatchdog() {
            this.stallThreshold = null;
            return this;
        }

        /**
         * Whether a run whose tasks all wait with nothing able to wake them fails with a
         * {@link DeadlockException} (the default) or waits, for tasks that expect another thread to
         * {@link Loop#submit} work that wakes them without awaiting anything from it.
         */
        public Builder detectDeadlocks(boolean on) {
            this.detectDeadlocks = on;
            return this;
        }

        /** Adds a listener that sees every task transition of every run. */
        public Builder listener(TaskListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Traces each run: records what every task does into a new {@link Recorder}, and when the run
         * ends writes the Chrome trace to {@code file} (open it in ui.perfetto.dev), the HTML timeline
         * beside it ({@code run.json} gives {@code run.html}), and logs the advisor's summary. Files of
         * an earlier run are replaced.
         */
        public Builder trace(Path file) {
            this.tracePath = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Records each run into {@code recorder}, which the caller reads and writes when it likes
         * (several loops and pools may share one). Without this or {@link #trace}, a loop records into
         * {@link Recorder#program()} when {@code WEFT_TRACE} is set.
         */
        public Builder recorder(Recorder recorder) {
            this.recorder = Objects.requireNonNull(recorder, "recorder");
            return this;
        }

        /**
         * Runs the loop's tasks on {@code carrier}; without this, {@link Carrier#byDefault()}.
         *
         * @throws IllegalStateException if {@code carrier} is not available in this JVM; the message
         *     says why (for {@link Carrier#OWN}: the flag to add)
         */
        public Builder carrier(Carrier carrier) {
            this.carrier = Objects.requireNonNull(carrier, "carrier").checkAvailable();
            return this;
        }

        /** Where reports go instead of {@code System.Logger} "dev.weft" (for tests). */
        Builder reporter(Reporter r) {
            this.reporter = Objects.requireNonNull(r, "reporter");
            return this;
        }

        /**
         * The loop, with these options.
         *
         * @throws IllegalStateException if no carrier was chosen and {@link Carrier#byDefault()} throws
         */
        public Loop build() {
            Carrier c = carrier;
            return new Loop(new Scheduler.Options(c != null ? c : Carrier.byDefault(), virtualClock, stallThreshold, detectDeadlocks,
                    List.copyOf(listeners), reporter, recorder, tracePath));
        }
    }
}
