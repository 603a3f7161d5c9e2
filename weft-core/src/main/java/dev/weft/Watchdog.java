package dev.weft;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The stall watchdog: a listener that notes which task holds the turn, and a platform thread that
 * samples it. When the same task has held the turn without reaching a suspension point for longer
 * than the threshold, it reports the task's name, how long, and the stack of where it is stuck, while
 * the stall is still happening; when the stall ends it reports how long it lasted.
 *
 * <p>The loop's side costs two release stores per switch and no clock reads: the sampler tells a
 * stall from a busy loop by a switch counter that did not move between samples. So a stall is
 * reported between one and 1.25 thresholds after it began, and its length is known to within a
 * quarter threshold.
 */
final class Watchdog implements TaskListener {
    private static final VarHandle HOLDER;
    private static final VarHandle SWITCHES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HOLDER = l.findVarHandle(Watchdog.class, "holder", Fiber.class);
            SWITCHES = l.findVarHandle(Watchdog.class, "switches", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long thresholdNanos;
    private final Reporter reporter;
    @SuppressWarnings("unused") // accessed through HOLDER
    private @Nullable Fiber<?> holder;
    @SuppressWarnings("unused") // accessed through SWITCHES
    private long switches;
    private long localSwitches;
    private @Nullable Thread sampler;
    /** The stall going on, once reported, for the live view; null when none is. Written by the sampler. */
    private volatile @Nullable Stall stall;

    Watchdog(Duration threshold, Reporter reporter) {
        this.thresholdNanos = threshold.toNanos();
        this.reporter = reporter;
    }

    @Override
    public void resumed(Task<?> task) {
        SWITCHES.setRelease(this, ++localSwitches);
        HOLDER.setRelease(this, (Fiber<?>) task);
    }

    @Override
    public void suspended(Task<?> task, WaitReason reason, Object waitingFor) {
        HOLDER.setRelease(this, (Fiber<?>) null);
    }

    @Override
    public void finished(Task<?> task) {
        HOLDER.setRelease(this, (Fiber<?>) null);
    }

    void start() {
        sampler = Thread.ofPlatform().daemon().name("weft-watchdog").start(this::sample);
    }

    /** Stops sampling; a stall still going on is reported as ended. Waits for the sampler, briefly. */
    void stop() {
        Thread s = sampler;
        if (s == null) {
            return; // never started
        }
        s.interrupt();
        try {
            s.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample() {
        long period = Math.max(thresholdNanos / 4, 1_000_000);
        long seenSwitches = -1;
        long since = System.nanoTime();
        Fiber<?> stalled = null;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(Duration.ofNanos(period));
                long now = System.nanoTime();
                long s = (long) SWITCHES.getAcquire(this);
                Fiber<?> h = (Fiber<?>) HOLDER.getAcquire(this);
                if (s != seenSwitches || h == null) {
                    if (stalled != null) {
                        reportEnd(stalled, now - since);
                        stalled = null;
                        stall = null;
                    }
                    seenSwitches = s;
                    since = now;
                } else if (stalled == null && now - since >= thresholdNanos) {
                    stalled = h;
                    stall = new Stall(h, since);
                    report(h, now - since);
                }
            }
        } catch (InterruptedException e) {
            if (stalled != null) { // the run ended with the stall
                stall = null;
                reportEnd(stalled, System.nanoTime() - since);
            }
        }
    }

    /** The stall going on that the sampler has reported, if any; from any thread. */
    @Nullable Stall stall() {
        return stall;
    }

    /** A task holding the turn past the threshold, since {@code began} ({@code System.nanoTime}). */
    record Stall(Fiber<?> task, long began) {}

    private void reportEnd(Fiber<?> f, long nanos) {
        reporter.report(Level.WARNING, "loop stall ended: task '" + f.name() + "' released the loop after about "
                + millis(nanos) + " ms", null);
    }

    private void report(Fiber<?> f, long nanos) {
        Thread t = f.thread;
        StallTrace trace = new StallTrace(f.name(), t == null ? new StackTraceElement[0] : t.getStackTrace());
        String stack = stackText(trace);
        TraceListener.stalled(f, "state: " + (t == null ? "unknown" : t.getState()) + "\nheld the loop for "
                + millis(nanos) + " ms (so far) at\n" + stack);
        LoopStallEvent.commit(f.name(), nanos, stack);
        reporter.report(Level.WARNING, "loop stalled: task '" + f.name() + "' has held the loop for "
                + millis(nanos) + " ms without reaching a suspension point, so no other task can run."
                + " Move blocking calls to Weft.toThread(...) and CPU-heavy work to a Pool;"
                + " the stack shows where it is", trace);
    }

    private static String stackText(Throwable trace) {
        StringBuilder b = new StringBuilder();
        for (StackTraceElement e : trace.getStackTrace()) {
            b.append("    at ").append(e).append('\n');
        }
        return b.toString();
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** Carries the stalled task's stack, so a logger prints it as it prints any stack trace. */
    static final class StallTrace extends Throwable {
        private static final long serialVersionUID = 1L;

        StallTrace(String task, StackTraceElement[] stack) {
            super("stack of task '" + task + "' while it stalls the loop", null, false, true);
            setStackTrace(stack);
        }
    }
}
