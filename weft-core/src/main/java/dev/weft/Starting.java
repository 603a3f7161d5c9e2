package dev.weft;

import java.util.Objects;
import org.jspecify.annotations.Nullable;


/**
 * The wait of {@link TaskGroup#start}: a scope in the caller's chain that the new child hangs under
 * until it reports that it has started (trio's "old nursery"). Until then a cancellation of the
 * caller reaches the child, and the child's failure is the caller's; once it reports, it moves into
 * the target group and the caller goes on with the reported value.
 */
final class Starting<T> extends Scope implements TaskGroup.TaskStatus<T> {
    private final Group target;
    @Nullable Fiber<?> child;
    private boolean reported;
    /** Whether the child moved into the target group. */
    boolean moved;
    /** Whether {@code start} has stopped waiting (this scope is closed). */
    private boolean over;
    private @Nullable T value;
    private final Fiber<?> caller;

    Starting(Fiber<?> caller, Group target) {
        super(caller, false);
        this.caller = caller;
        this.target = target;
        open();
    }

    /** The child, spawned right after this scope was opened. */
    Fiber<?> child() {
        return Objects.requireNonNull(child, "the child is spawned right after the scope opens");
    }

    @Override
    public void started(T value) {
        report(Objects.requireNonNull(value, "value"));
    }

    @Override
    public void started() {
        report(null);
    }

    private void report(@Nullable T v) {
        caller.sched.checkOnTurn("TaskStatus.started");
        if (reported) {
            throw new IllegalStateException("TaskStatus.started: " + child() + " has already reported that it started");
        }
        if (over || child().isDone()) {
            throw new IllegalStateException("TaskStatus.started: the start of " + child() + " is over (the task"
                    + " ended, or start() gave up): report while the task runs and start() waits");
        }
        reported = true;
        value = v;
        if (firstCancelled(this) != null) {
            return; // start() was cancelled: the child stays under it, and start() throws (as in trio)
        }
        target.adopt(child());
        moved = true;
        caller.sched.resume(caller);
    }

    /** Suspends the caller until the child has reported (and moved) or ended. A suspension point. */
    void awaitReport() {
        while (!moved && !child().isDone()) {
            caller.suspend(WaitReason.TASK, this);
        }
    }

    @Override
    void onClose() {
        over = true;
    }

    @Override
    void childFinished(Fiber<?> c) {
        caller.sched.resume(caller);
    }

    /** The failure of the child, which failed before it moved, as start's caller gets it. */
    TaskFailedException childFailure() {
        return new TaskFailedException(child().name(), ((Outcome.Failure<?>) child().outcome()).exception());
    }

    /** What {@code start} returns once the wait is over: the value, or the child's end as an exception. */
    @SuppressWarnings("NullAway") // null only for a child that reported with started(): start() returns null for Void
    T result() {
        if (moved) {
            return value;
        }
        Waits.valueOf(caller, child()); // throws its failure, or its cancellation, as awaiting it would
        throw new IllegalStateException("TaskGroup.start: " + child() + " ended without calling started() on its"
                + " TaskStatus; call status.started(value) once it is ready, or use TaskGroup.spawn");
    }

    @Override
    public String toString() {
        return child + " to report that it has started";
    }
}
