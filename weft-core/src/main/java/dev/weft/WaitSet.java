package dev.weft;

import dev.weft.internal.Durations;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * One task waiting for several tasks of its loop to end: behind {@code Tasks.wait}, {@code awaitAll}
 * and {@code asCompleted}. Records the order in which the tasks end.
 */
final class WaitSet {
    private final Fiber<?> self;
    private final ArrayDeque<Task<?>> ended = new ArrayDeque<>();
    private @Nullable Task<?> firstUnsuccessful;
    private final int total;
    private int notDone;
    private int unreported;
    private boolean failed;
    private boolean waiting;
    private final java.util.List<Fiber<?>> watched = new java.util.ArrayList<>();
    private final java.util.function.Consumer<Task<?>> onEnd = this::ended;

    private WaitSet(Fiber<?> self, int total) {
        this.self = self;
        this.total = total;
        this.notDone = total;
        this.unreported = total;
    }

    /**
     * Watches {@code tasks}, which must be tasks of {@code self}'s loop; a task listed twice is
     * watched once (as asyncio makes a set of them).
     */
    public static WaitSet of(Fiber<?> self, Collection<? extends Task<?>> tasks) {
        java.util.Set<Fiber<?>> distinct = new java.util.LinkedHashSet<>();
        for (Task<?> t : tasks) {
            if (!(t instanceof Fiber<?> f) || f.sched != self.sched) {
                throw new IllegalArgumentException(t + " is not a task of this loop");
            }
            distinct.add(f);
        }
        WaitSet w = new WaitSet(self, distinct.size());
        for (Fiber<?> f : distinct) {
            w.watched.add(f);
            f.onDone(w.onEnd);
        }
        return w;
    }

    /** Stops watching: removes this set's callbacks from the tasks that have not ended. Idempotent. */
    public void release() {
        for (Fiber<?> f : watched) {
            if (!f.isDone()) {
                f.removeCallback(onEnd);
            }
        }
        watched.clear();
    }

    private void ended(Task<?> t) {
        ended.add(t);
        notDone--;
        Outcome<?> o = ((Fiber<?>) t).peekOutcome();
        failed |= o instanceof Outcome.Failure;
        if (firstUnsuccessful == null && !(o instanceof Outcome.Success)) {
            firstUnsuccessful = t;
        }
        if (waiting) {
            self.sched.resume(self);
        }
    }

    public long deadlineAfter(Duration timeout) {
        return Durations.deadline(self.sched.now(), Durations.toNanos(timeout));
    }

    /** The first task that ended failed or cancelled, or null. */
    public @Nullable Task<?> firstUnsuccessful() {
        return firstUnsuccessful;
    }

    public boolean allDone() {
        return notDone == 0;
    }

    public boolean hasUnreported() {
        return unreported > 0;
    }

    private boolean satisfied(WaitMode mode, boolean cancellationFails) {
        return switch (mode) {
            case ALL_COMPLETED -> notDone == 0;
            case FIRST_COMPLETED -> notDone < total || total == 0;
            case FIRST_EXCEPTION -> failed || (cancellationFails && firstUnsuccessful != null) || notDone == 0;
        };
    }

    /** Waits until {@code mode} holds or the deadline passes. A suspension point. */
    public void await(WaitMode mode, boolean cancellationFails, long deadline) {
        self.checkCancelled();
        while (!satisfied(mode, cancellationFails) && self.sched.now() < deadline) {
            park(deadline);
        }
    }

    /**
     * Returns the next task to end, in the order they ended; waits for it if needed. Releases the set
     * when it throws or has returned every task.
     */
    public Task<?> nextDone(long deadline) {
        try {
            self.checkCancelled();
            while (ended.isEmpty()) {
                if (self.sched.now() >= deadline) {
                    throw new DeadlineExceededException("timed out: not every task ended before the deadline");
                }
                park(deadline);
            }
        } catch (RuntimeException | Error e) {
            release();
            throw e;
        }
        unreported--;
        if (unreported == 0) {
            release();
        }
        return ended.poll();
    }

    private void park(long deadline) {
        Wakeup timer = deadline == Long.MAX_VALUE ? null : new Wakeup(self);
        if (timer != null) {
            self.sched.schedule(timer, deadline);
        }
        waiting = true;
        try {
            self.suspend(WaitReason.TASK, this);
        } finally {
            waiting = false;
            if (timer != null) {
                self.sched.unschedule(timer);
            }
        }
    }

    @Override
    public String toString() {
        return notDone + " of " + total + " tasks to end";
    }
}
