package dev.weft;

import dev.weft.trace.Recorder;
import dev.weft.trace.Track;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Records one run of a loop into a {@link Recorder}: a track per task, a slice per turn, per wait
 * (with its reason) and per stretch of being ready, and who woke whom. It reads the turn times the
 * scheduler already took ({@link Fiber#since()}), so a switch costs no extra clock read; only a
 * wake-up reads the clock.
 */
final class TraceListener implements TaskListener {
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Recorder recorder;
    private final String group;

    /** Records into {@code recorder} the tasks of a run called by the thread named {@code runner}. */
    TraceListener(Recorder recorder, String runner) {
        this.recorder = recorder;
        this.group = "loop " + RUNS.incrementAndGet() + " (" + runner + ")";
    }

    /** A task's lane and where its current slice began. */
    static final class TaskTrace {
        final Track track;
        /** When the current turn or wait began; 0 before the first turn. */
        long mark;
        /** When the task became ready for the turn; 0 when it is not ready. */
        long readySince;
        /** The reason of the wait the task was woken from, until its next turn records the wait. */
        @Nullable String waited;

        TaskTrace(Track track, long readySince) {
            this.track = track;
            this.readySince = readySince;
        }
    }

    @Override
    public void spawned(Task<?> task, Optional<Task<?>> parent) {
        Fiber<?> f = (Fiber<?>) task;
        f.trace = new TaskTrace(recorder.track(group, task.name() + " #" + task.id()), f.spawnedAt());
    }

    @Override
    public void resumed(Task<?> task) {
        Fiber<?> f = (Fiber<?>) task;
        TaskTrace t = f.trace;
        if (t != null) {
            long start = f.since();
            if (t.readySince != 0) {
                // the turn's start is the hand-off's clock read, which may precede the wake-up's own read
                long woken = Math.min(t.readySince, start);
                if (t.waited != null) {
                    t.track.waited(t.mark, woken, t.waited);
                    t.waited = null;
                }
                t.track.ready(woken, start);
                t.readySince = 0;
            }
            t.mark = start;
        }
    }

    @Override
    public void suspended(Task<?> task, WaitReason reason, Object waitingFor) {
        Fiber<?> f = (Fiber<?>) task;
        TaskTrace t = f.trace;
        if (t != null) {
            long end = f.since();
            t.track.ran(t.mark, end);
            t.mark = end;
            if (reason == WaitReason.YIELD) {
                t.readySince = end;
            }
        }
    }

    @Override
    public void woken(Task<?> task, Optional<Task<?>> by) {
        Fiber<?> f = (Fiber<?>) task;
        TaskTrace t = f.trace;
        if (t != null) {
            long now = System.nanoTime();
            WaitReason reason = f.waitReason();
            t.waited = (reason == null ? WaitReason.OTHER : reason).label();
            t.readySince = now;
            TaskTrace waker = by.isPresent() ? ((Fiber<?>) by.get()).trace : null;
            if (waker != null) {
                waker.track.woke(t.track, now);
            }
        }
    }

    @Override
    public void finished(Task<?> task) {
        Fiber<?> f = (Fiber<?>) task;
        TaskTrace t = f.trace;
        if (t != null && t.mark != 0) {
            t.track.ran(t.mark, f.since());
        }
    }

    /** Notes on {@code f}'s lane that it stalled the loop (from the watchdog's thread). */
    static void stalled(Fiber<?> f, String detail) {
        TaskTrace t = f.trace;
        if (t != null) {
            t.track.marked(System.nanoTime(), "stall", detail);
        }
    }

    @Override
    public String toString() {
        return "trace of " + group;
    }
}
