package dev.weft;

import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches the failure of a task that nobody had observed when it ended, and reports it once: when the
 * task becomes unreachable while still unobserved (asyncio reports at garbage collection too), or
 * when the run ends, or when its supervisor group closes, whichever comes first. Holds no reference
 * to the task, so that the task can be collected.
 */
final class FailureWatch implements Runnable {
    private static final Cleaner CLEANER = Cleaner.create(
            Thread.ofPlatform().daemon().name("weft-failure-watch").factory());

    private final String task;
    private final Throwable failure;
    private final Reporter reporter;
    private final AtomicBoolean settled = new AtomicBoolean();

    private FailureWatch(String task, Throwable failure, Reporter reporter) {
        this.task = task;
        this.failure = failure;
        this.reporter = reporter;
    }

    /** Starts watching the failure of {@code fiber}, which has ended unobserved. */
    static FailureWatch start(Fiber<?> fiber, Throwable failure, Reporter reporter) {
        FailureWatch w = new FailureWatch(fiber.name(), failure, reporter);
        CLEANER.register(fiber, w);
        return w;
    }

    /** Someone read the failure: never report it. */
    void observed() {
        settled.set(true);
    }

    boolean isSettled() {
        return settled.get();
    }

    /** Reports the failure unless it was observed or already reported. From any thread. */
    @Override
    public void run() {
        if (settled.compareAndSet(false, true)) {
            reporter.report(Level.WARNING, "task '" + task + "' failed and nobody observed its failure"
                    + " (await it, or spawn it in a TaskGroup)", failure);
        }
    }
}
