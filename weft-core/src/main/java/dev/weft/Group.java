package dev.weft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The cancel scope behind {@link TaskGroup}: children hang their roots under it, so cancelling it
 * (the first failure does) reaches every child and the block of the owner.
 *
 * <p>Java's try-with-resources cannot replace the exception leaving a block, so the group's failure
 * is not turned into another exception at close, as asyncio does at {@code __aexit__}: it is thrown
 * into the block at its suspension points instead (this scope's cancellation, for its owner, is the
 * failure itself), and close only adds later failures to it.
 */
final class Group extends Scope implements TaskGroup {
    private final Scheduler sched;
    private final boolean supervisor;
    private int pending;
    private final List<Fiber<?>> failedChildren = new ArrayList<>();
    private @Nullable TaskFailedException failure;
    private boolean delivered;
    private boolean joined;
    /** Whether close() was called. */
    private boolean closed;
    /** Whether the group's scope has ended (at close, or at join after a cancel by hand): it takes no tasks. */
    private boolean ended;
    private @Nullable Throwable exceptionalExit;
    private @Nullable Fiber<?> joiner;

    public Group(Fiber<?> owner, boolean supervisor) {
        super(owner, false);
        this.sched = owner.sched;
        this.supervisor = supervisor;
        open();
    }

    /** {@link TaskGroup#scoped}: open, run the body, join, close; on a throw, cancel and attach. */
    public static <T, X extends Throwable> T scoped(Fiber<?> owner, GroupBody<T, X> body) throws X {
        Group g = new Group(owner, false);
        try {
            T result = body.run(g);
            g.join();
            return result;
        } catch (Throwable t) {
            g.exceptionalExit = t;
            throw t;
        } finally {
            g.close();
        }
    }

    @Override
    public <T> Task<T> spawn(Body<T, ?> body) {
        return spawnNamed(null, body);
    }

    @Override
    public Task<Void> spawn(Action<?> body) {
        return spawnNamed(null, Objects.requireNonNull(body, "body").asBody());
    }

    @Override
    public <T> Task<T> spawn(String name, Body<T, ?> body) {
        return spawnNamed(Objects.requireNonNull(name, "name"), body);
    }

    @Override
    public Task<Void> spawn(String name, Action<?> body) {
        return spawnNamed(Objects.requireNonNull(name, "name"), Objects.requireNonNull(body, "body").asBody());
    }

    private <T> Task<T> spawnNamed(@Nullable String name, Body<T, ?> body) {
        Objects.requireNonNull(body, "body");
        sched.checkOnTurn("TaskGroup.spawn");
        checkTakesTasks();
        pending++;
        return sched.spawn(name, body, this);
    }

    private void checkTakesTasks() {
        if (ended) {
            throw new IllegalStateException("this task group is closed: spawn into an open group, or use Weft.spawn");
        }
        if (failure != null) {
            throw new IllegalStateException("this task group is shutting down after " + failure.getMessage()
                    + "; it takes no new tasks");
        }
    }

    @Override
    public <T> T start(StartBody<T, ?> body) {
        return startNamed(null, body);
    }

    @Override
    public <T> T start(String name, StartBody<T, ?> body) {
        return startNamed(Objects.requireNonNull(name, "name"), body);
    }

    private <T> T startNamed(@Nullable String name, StartBody<T, ?> body) {
        Objects.requireNonNull(body, "body");
        Fiber<?> self = Waits.current("TaskGroup.start");
        sched.checkOnTurn("TaskGroup.start");
        self.checkCancelled(); // a suspension point: the group's own failure, say, comes first
        checkTakesTasks();
        Starting<T> st = new Starting<>(self, this);
        pending++; // a pending start keeps the group open, as its child will join it
        try {
            Action<?> child = () -> body.run(st);
            st.child = sched.spawn(name, child.asBody(), st);
            try {
                st.awaitReport();
            } catch (RuntimeException | Error e) { // its own cancellation reached the child too: let it end
                try (ShieldScope _ = new ShieldScope(self)) {
                    st.awaitReport();
                }
                if (!(st.child().peekOutcome() instanceof Outcome.Failure<?>)) {
                    throw e;
                }
                if (!(e instanceof CancelledException || e instanceof DeadlineExceededException)) {
                    e.addSuppressed(st.childFailure()); // e is a failure (this group's): it must not be lost
                    throw e;
                }
                self.caught(e); // the child's failure comes out instead, as in trio; the cancellation stays
            }
        } finally {
            st.closeScope();
            if (!st.moved) {
                startEnded();
            }
        }
        return st.result();
    }

    /** A start ended without its child joining the group. */
    private void startEnded() {
        pending--;
        if (pending == 0 && joiner != null) {
            sched.resume(joiner);
        }
    }



    @Override
    void childFinished(Fiber<?> child) {
        pending--;
        if (child.peekOutcome() instanceof Outcome.Failure<?> f) {
            if (supervisor) {
                failedChildren.add(child);
            } else {
                child.markObserved();
                TaskFailedException e = new TaskFailedException(child.name(), f.exception());
                if (failure == null) {
                    failure = e;
                    cancelScope("task group cancelled because task '" + child.name() + "' failed");
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (pending == 0 && joiner != null) {
            sched.resume(joiner);
        }
    }

    /** {@code child}, a started task already counted as pending, now hangs under this group. */
    void adopt(Fiber<?> child) {
        child.detach();
        child.attach(this);
        if (firstCancelled(this) != null) {
            child.wakeBelow(); // moved into a cancelled group: its waits end now
        }
    }

    @Override
    boolean failed() {
        return failure != null;
    }

    @Override
    RuntimeException cancellationFor(Fiber<?> fiber) {
        if (fiber == owner && failure != null) {
            if (!delivered) {
                delivered = true;
                return failure;
            }
            // thrown again (level-triggered): a fresh exception, so that cleanup throwing it while the
            // first is in flight attaches it instead of failing with "Self-suppression not permitted"
            return new TaskFailedException(failure.taskName(), Objects.requireNonNull(failure.getCause()));
        }
        return super.cancellationFor(fiber);
    }

    @Override
    public void join() {
        Fiber<?> self = checkOwner("join");
        joined = true;
        try {
            self.checkCancelled();
            waitForChildren(self);
        } catch (TaskFailedException | CancelledException e) {
            if (self.cancelledScope() != this) {
                throw e; // not the group's own: a scope around it (or inside the block) was cancelled
            }
            // the group's own failure or cancel(): wait for the cancelled children before going on
            try (ShieldScope _ = new ShieldScope(self)) {
                waitForChildren(self);
            }
        }
        if (failure == null && cancelled && !ended && !hasLiveTaskBelow()) {
            // cancelled by hand and over (also when the cancel came after the children ended, or join
            // ran in a shield): the code after join() is not cancelled by it
            ended = true;
            excise();
        }
        if (failure != null) {
            delivered = true;
            throw failure;
        }
    }

    private void waitForChildren(Fiber<?> self) {
        while (pending > 0) {
            joiner = self;
            try {
                self.suspend(WaitReason.TASK_GROUP, this);
            } finally {
                joiner = null;
            }
        }
    }

    @Override
    public void cancel() {
        sched.onTurn(() -> cancelScope("the task group was cancelled (TaskGroup.cancel())"));
    }

    @Override
    public List<Task<?>> children() {
        sched.checkOnTurn("TaskGroup.children");
        List<Task<?>> out = new ArrayList<>(pending);
        forEachChildTask(out::add);
        Collections.reverse(out);
        return out;
    }

    @Override
    public Task<?> owner() {
        return enteredOwner();
    }

    @Override
    public void close() {
        Fiber<?> self = checkOwner("close");
        if (closed) {
            return;
        }
        closed = true;
        ended = true;
        boolean blockCancelled = self.cancelledScope() != null; // the block ended by a cancellation or timeout
        int abandoned = pending;
        if (abandoned > 0 && failure == null) {
            cancelScope("the block of the task group ended before its tasks did");
        }
        if (isOpen()) {
            closeScope();
        }
        if (pending > 0) {
            try (ShieldScope _ = new ShieldScope(self)) {
                waitForChildren(self);
            }
        }
        failedChildren.forEach(Fiber::reportIfUnobserved);
        if (failure != null) {
            if (exceptionalExit != null && exceptionalExit != failure) {
                exceptionalExit.addSuppressed(failure);
            } else if (!delivered) {
                delivered = true;
                throw failure;
            }
        } else if (abandoned > 0 && !joined && exceptionalExit == null && !blockCancelled) {
            throw new IllegalStateException("the block of a task group ended (by an exception, or without"
                    + " calling join()) while " + abandoned + " of its tasks were running: they were cancelled"
                    + " and awaited. End the block with join() to wait for them");
        }
    }

    private Fiber<?> checkOwner(String what) {
        if (Fiber.current() != owner) {
            throw new IllegalStateException("TaskGroup." + what + " must be called by the task that opened the group ("
                    + owner + ")");
        }
        return enteredOwner();
    }

    @Override
    public String toString() {
        return "the end of a task group's " + pending + " task(s)";
    }
}
