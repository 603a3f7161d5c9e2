package dev.weft;

import dev.weft.internal.Durations;

/**
 * The cancel scope behind {@link Timeout}: the fail form, opened at once, whose cancellation its own
 * task gets as a {@link DeadlineExceededException} that leaves the block.
 */
final class TimeoutScope extends DeadlineScope implements Timeout {

    /** Opens a timeout in {@code owner}, the current task, expiring at {@code deadline} on the loop clock. */
    TimeoutScope(Fiber<?> owner, long deadline) {
        super(owner.sched);
        moveDeadline(deadline);
        enter(owner, "Weft.timeout");
    }

    @Override
    RuntimeException cancellationFor(Fiber<?> fiber) {
        if (fiber == owner) {
            caught = true;
            return new DeadlineExceededException((deadlinePassed() ? "timed out: " : "timeout cancelled: ") + reason,
                    this);
        }
        return super.cancellationFor(fiber);
    }

    @Override
    public boolean expired() {
        sched.checkOnTurn("Timeout.expired");
        return deadlinePassed();
    }

    @Override
    public void close() {
        close("Timeout");
    }

    @Override
    public String toString() {
        return "timeout(deadline " + Durations.format(deadlineNanos()) + " on the loop clock)";
    }
}
