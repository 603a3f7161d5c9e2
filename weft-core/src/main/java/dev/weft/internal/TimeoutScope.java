package dev.weft.internal;

import dev.weft.DeadlineExceededException;
import dev.weft.Timeout;
import java.time.Duration;

/** The cancel scope behind {@link Timeout}: cancelled by a timer at its deadline. */
public final class TimeoutScope extends Scope implements Timeout {
    private final Scheduler sched;
    private final long opened;
    private long deadline;
    private boolean closed;
    private final Timer timer = new Timer() {
        @Override
        protected void fire() {
            expire();
        }

        @Override
        public String toString() {
            return "the deadline of " + TimeoutScope.this;
        }
    };

    public TimeoutScope(Fiber<?> owner, long deadline) {
        super(owner, false);
        this.sched = owner.sched;
        this.opened = sched.now();
        this.deadline = Long.MAX_VALUE;
        open();
        rescheduleAt(deadline);
    }

    private void expire() {
        cancelScope("the deadline of " + Durations.format(deadline - opened) + " passed");
    }

    @Override
    RuntimeException cancellationFor(Fiber<?> fiber) {
        if (fiber == owner) {
            return new DeadlineExceededException("timed out: " + reason, this);
        }
        return super.cancellationFor(fiber);
    }

    @Override
    public long deadline() {
        return deadline;
    }

    @Override
    public void reschedule(Duration delay) {
        sched.checkOnTurn("Timeout.reschedule");
        rescheduleAt(Durations.deadline(sched.now(), Durations.toNanos(delay)));
    }

    @Override
    public void rescheduleAt(long deadlineNanos) {
        sched.checkOnTurn("Timeout.rescheduleAt");
        if (closed) {
            throw new IllegalStateException("this timeout is closed; open a new one");
        }
        if (!cancelled && deadline <= sched.now()) {
            expire(); // passed, though its timer has not fired yet
        }
        if (cancelled) {
            throw new IllegalStateException("this timeout has already expired; open a new one");
        }
        sched.unschedule(timer);
        deadline = deadlineNanos;
        if (deadlineNanos <= sched.now()) {
            expire();
        } else if (deadlineNanos != Long.MAX_VALUE) {
            sched.schedule(timer, deadlineNanos);
        }
    }

    @Override
    public boolean expired() {
        return cancelled || deadline <= sched.now();
    }

    @Override
    void onClose() {
        closed = true;
        sched.unschedule(timer);
    }

    @Override
    public void close() {
        OwnedScopes.close(this, "Timeout");
    }

    @Override
    public String toString() {
        return "timeout(deadline " + Durations.format(deadline) + " on the loop clock)";
    }
}
