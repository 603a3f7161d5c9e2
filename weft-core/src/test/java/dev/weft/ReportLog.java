package dev.weft;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What Weft reported at WARNING or above while tests ran, for {@link ReportWatch}: everything the
 * library logs to {@code System.Logger} "dev.weft" (through {@link RecordingLoggerFinder}, so loops
 * that a test does not configure are seen too) and everything given to a test's own {@link Reports}.
 *
 * <p>Reports are kept per window (a test, or a test class outside its tests); windows nest, and a
 * window takes what arrived since it opened, so tests must run one at a time (JUnit's default; with
 * parallel execution a report would go to whichever test was open). Thread-safe: loops report from
 * their own threads, the failure watch from a cleaner thread.
 */
@SuppressWarnings("exports") // test code: @Nullable is for NullAway at compile time, not for clients
public final class ReportLog {
    /** One report: its level, the logger (or "a test's Reports"), its message and its exception if any. */
    public record Report(Level level, String source, String message, @Nullable Throwable cause) {
        /**
         * Whether a test must expect it: anything at WARNING or above (an unobserved failure, a
         * swallowed cancellation, a callback or listener that threw, ...) but a stall, which depends on
         * how busy the machine is.
         */
        public boolean mustBeExpected() {
            return level.getSeverity() >= Level.WARNING.getSeverity() && !message.startsWith("loop stall");
        }

        @Override
        public String toString() {
            return level + " " + source + ": " + message + (cause == null ? "" : " (" + cause + ")");
        }
    }

    private record Entry(long seq, Report report) {}

    private static final Deque<Entry> ENTRIES = new ArrayDeque<>();
    private static long next;
    private static int windows;

    private ReportLog() {}

    /** Records {@code r} if a test must expect it. From any thread. */
    public static synchronized void add(Report r) {
        if (r.mustBeExpected()) {
            ENTRIES.addLast(new Entry(next++, r));
        }
    }

    /** Opens a window and returns its mark; outside every window, what came before is dropped. */
    public static synchronized long open() {
        if (windows++ == 0) {
            ENTRIES.clear();
        }
        return next;
    }

    /** Closes the window opened at {@code mark} and takes what arrived since, but what inner windows took. */
    public static synchronized List<Report> close(long mark) {
        windows--;
        List<Report> taken = new ArrayList<>();
        while (!ENTRIES.isEmpty() && ENTRIES.peekLast().seq() >= mark) {
            taken.addFirst(ENTRIES.pollLast().report());
        }
        return taken;
    }
}
