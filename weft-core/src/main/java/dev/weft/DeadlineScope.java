package dev.weft;

import dev.weft.internal.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The cancel scope behind {@link CancelScope}, and (as {@link TimeoutScope}) behind a timeout: a scope
 * that can be cancelled by hand or by a timer at its deadline. Entered once; the timer runs only
 * while the scope is open.
 */
class DeadlineScope extends Scope implements CancelScope {
    private enum Stage {
        NEW,
        OPEN,
        CLOSED
    }

    final Scheduler sched;
    private Stage stage = Stage.NEW;
    private long deadline = Long.MAX_VALUE;
    /** A delay given before the scope was entered, counted from its entry (trio's rule); else -1. */
    private long delayFromEntry = -1;
    /** When the deadline was last set: what "the deadline of 2 s" counts from. */
    private long setAt;
    private boolean expired;
    boolean caught;
    private final Timer timer = new Timer() {
        @Override
        protected void fire() {
            expire();
        }

        @Override
        public String toString() {
            return "the deadline of " + DeadlineScope.this;
        }
    };

    DeadlineScope(Scheduler sched) {
        super(null, false);
        this.sched = sched;
    }

    /** A scope not yet entered, of {@code creator}'s loop. */
    public static DeadlineScope create(Fiber<?> creator) {
        return new DeadlineScope(creator.sched);
    }

    /** Enters this scope as the innermost scope of {@code f}, the current task. */
    final void enter(Fiber<?> f, String operation) {
        if (f.sched != sched) {
            throw new IllegalStateException(operation + ": this cancel scope belongs to another loop's run;"
                    + " create it in a task of the loop that runs it");
        }
        if (stage != Stage.NEW) {
            throw new IllegalStateException(operation + ": a cancel scope is entered once; create a new one");
        }
        stage = Stage.OPEN;
        owner = f;
        open();
        if (delayFromEntry >= 0) {
            deadline = Durations.deadline(sched.now(), delayFromEntry);
            setAt = sched.now();
        }
        if (!cancelled) {
            armTimer();
        }
    }

    private void expire() {
        expired = true;
        cancelScope("the deadline of " + Durations.format(deadline - setAt) + " passed");
    }

    /**
     * Whether the deadline has passed and cancelled the scope: expires it now if the deadline has
     * passed but the timer has not fired yet, or the scope has not been entered (trio's rule).
     */
    private boolean checkExpired() {
        boolean hasDeadline = stage == Stage.OPEN || (stage == Stage.NEW && delayFromEntry < 0);
        if (hasDeadline && !cancelled && deadline <= sched.now()) {
            sched.unschedule(timer);
            expire();
        }
        return expired;
    }

    private void armTimer() {
        sched.unschedule(timer);
        if (deadline <= sched.now()) {
            expire();
        } else if (deadline != Long.MAX_VALUE) {
            sched.schedule(timer, deadline);
        }
    }

    @Override
    public <T, X extends Throwable> Optional<T> run(Body<T, X> body) throws X {
        Fiber<?> owner = Waits.current("CancelScope.run");
        enter(owner, "CancelScope.run");
        try {
            return Optional.ofNullable(body.run());
        } catch (RuntimeException e) {
            // a cancellation, or the exception of a timeout inside it, thrown before this scope's end
            Scope from = owner.deliveredFor(e);
            boolean fromInside = from != null && !from.failed() && encloses(from);
            if (!fromInside && !(e instanceof CancelledException)) {
                throw e; // a failure: on it goes
            }
            if (catchesCancellation()) { // trio: a cancelled scope with no cancellation around it catches
                owner.caught(e);
                caught = true;
                return Optional.empty();
            }
            Scope outer = owner.cancelledScope();
            if (fromInside && outer != null && !encloses(outer)) {
                // a cancellation around it reached the task after e was thrown (during cleanup in a
                // shield): the scope that catches it expects its own exception, as trio's and asyncio's
                // scope exits decide
                owner.caught(e);
                RuntimeException x = owner.deliver(outer);
                x.addSuppressed(e);
                throw x;
            }
            throw e;
        } finally {
            close("CancelScope");
        }
    }

    @Override
    public <X extends Throwable> boolean run(Action<X> body) throws X {
        run(body.asBody());
        return !caught;
    }

    /** Whether {@code s} is this scope or one its task opened inside it. */
    private boolean encloses(Scope s) {
        for (Scope x = s; x != null && x.owner == owner; x = x.parent) {
            if (x == this) {
                return true;
            }
        }
        return false;
    }

    /** Closes the scope, which must be the caller's innermost; idempotent. */
    final void close(String what) {
        OwnedScopes.close(this, what);
    }

    @Override
    void onClose() {
        stage = Stage.CLOSED;
        sched.unschedule(timer);
    }

    @Override
    public void cancel() {
        cancelFor("cancel() was called");
    }

    @Override
    public void cancel(String reason) {
        cancelFor(Objects.requireNonNull(reason, "reason"));
    }

    private void cancelFor(String why) {
        sched.onTurn(() -> {
            sched.unschedule(timer);
            cancelScope(why);
        });
    }

    @Override
    public boolean cancelCalled() {
        sched.checkOnTurn("CancelScope.cancelCalled");
        checkExpired();
        return cancelled;
    }

    /** Whether the deadline passed while the scope was open, and cancelled it. */
    final boolean deadlinePassed() {
        return checkExpired();
    }

    @Override
    public boolean cancelledCaught() {
        sched.checkOnTurn("CancelScope.cancelledCaught");
        return caught;
    }

    @Override
    public Optional<Deadline> deadline() {
        if (stage == Stage.NEW && delayFromEntry >= 0) {
            throw new IllegalStateException("this scope's deadline counts from when it is entered, which it has"
                    + " not been yet: read it inside run(...)");
        }
        return deadline == Long.MAX_VALUE ? Optional.empty() : Optional.of(Deadline.at(sched, deadline));
    }

    @Override
    long deadlineNanos() {
        return deadline;
    }

    @Override
    public void reschedule(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        sched.checkOnTurn("CancelScope.reschedule");
        long nanos = Math.max(0, Durations.toNanos(delay));
        if (stage == Stage.NEW) {
            checkMovable();
            delayFromEntry = nanos;
        } else {
            moveDeadline(Durations.deadline(sched.now(), nanos));
        }
    }

    @Override
    public void rescheduleAt(Deadline deadline) {
        Objects.requireNonNull(deadline, "deadline");
        sched.checkOnTurn("CancelScope.rescheduleAt");
        moveDeadline(deadline.nanosOn(sched));
    }

    @Override
    public void removeDeadline() {
        sched.checkOnTurn("CancelScope.removeDeadline");
        moveDeadline(Long.MAX_VALUE);
    }

    /** Moves the deadline to {@code deadlineNanos} on the loop clock ({@code Long.MAX_VALUE}: none). */
    final void moveDeadline(long deadlineNanos) {
        checkMovable();
        deadline = deadlineNanos;
        delayFromEntry = -1;
        setAt = sched.now();
        if (stage == Stage.OPEN) {
            armTimer();
        }
    }

    private void checkMovable() {
        if (stage == Stage.CLOSED) {
            throw new IllegalStateException("this scope is closed (its block has ended); open a new one");
        }
        if (checkExpired() || cancelled) {
            throw new IllegalStateException("this scope " + (expired ? "has already expired" : "was cancelled")
                    + "; its deadline can no longer be moved: open a new one");
        }
    }

    @Override
    public boolean isShielded() {
        return shield;
    }

    @Override
    public void shield(boolean on) {
        sched.checkOnTurn("CancelScope.shield");
        boolean wasShielded = shield;
        shield = on;
        if (wasShielded && !on && stage == Stage.OPEN && firstCancelled(parent) != null) {
            wakeBelow(); // the cancellation around it now reaches the block
        }
    }

    @Override
    public String toString() {
        return "cancel scope (" + stage.name().toLowerCase(java.util.Locale.ROOT)
                + (cancelled ? ", cancelled" : "")
                + (deadline == Long.MAX_VALUE ? "" : ", deadline " + Durations.format(deadline) + " on the loop clock")
                + (shield ? ", shielded" : "") + ")";
    }
}
