package dev.weft;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Captures what a loop reports, in place of System.Logger, and passes it on to {@link ReportLog}: a
 * test that makes its loop report something to act on says so ({@link ExpectsReports}). Thread-safe:
 * the watchdog reports from its thread.
 */
final class Reports implements Reporter {
    record Report(Level level, String message, @Nullable Throwable cause) {}

    private final List<Report> all = new ArrayList<>();

    @Override
    public synchronized void report(Level level, String message, @Nullable Throwable cause) {
        all.add(new Report(level, message, cause));
        ReportLog.add(new ReportLog.Report(level, "a test's Reports", message, cause));
        notifyAll();
    }

    synchronized List<Report> all() {
        return List.copyOf(all);
    }

    synchronized List<String> messages() {
        return all.stream().map(Report::message).toList();
    }

    /** Waits (real time, bounded) until a report containing {@code text} arrives. */
    synchronized Report awaitMessage(String text, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            for (Report r : all) {
                if (r.message().contains(text)) {
                    return r;
                }
            }
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("no report containing '" + text + "' within " + timeoutMillis + " ms; got " + all);
            }
            wait(left);
        }
    }

    /** A loop with a virtual clock, no watchdog, reporting here. */
    Loop virtualLoop() {
        return Loop.builder().virtualClock().noStallWatchdog().reporter(this).build();
    }

    /** Runs {@code main} on a fresh virtual-clock loop reporting here. */
    <T, X extends Throwable> T run(Body<T, X> main) throws X {
        try (Loop loop = virtualLoop()) {
            return loop.run(main);
        }
    }

    <X extends Throwable> void run(Action<X> main) throws X {
        run(main.asBody());
    }
}
