package dev.weft;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The listeners of one run, called in order. A listener that throws is reported once and ignored for
 * the rest of the run, so an observer can never break the loop it observes.
 */
final class Listeners implements TaskListener {
    /** One listener method, as a non-capturing function so that dispatch allocates nothing. */
    private interface Event {
        void send(TaskListener l, Task<?> task, @Nullable Object arg);
    }

    @SuppressWarnings("unchecked") // spawned() passes its parent, an Optional<Task<?>>
    private static final Event SPAWNED = (l, t, parent) -> l.spawned(t, (Optional<Task<?>>) Objects.requireNonNull(parent));
    private static final Event RESUMED = (l, t, _) -> l.resumed(t);
    private static final Event SUSPENDED = (l, t, s) -> {
        Suspension why = (Suspension) Objects.requireNonNull(s);
        l.suspended(t, why.reason, why.waitingFor);
    };
    @SuppressWarnings("unchecked") // woken() passes its waker, an Optional<Task<?>>
    private static final Event WOKEN = (l, t, by) -> l.woken(t, (Optional<Task<?>>) Objects.requireNonNull(by));
    private static final Event FINISHED = (l, t, _) -> l.finished(t);

    private final TaskListener[] all;
    private final boolean[] broken;
    private final Reporter reporter;

    private Listeners(List<TaskListener> listeners, Reporter reporter) {
        this.all = listeners.toArray(TaskListener[]::new);
        this.broken = new boolean[all.length];
        this.reporter = reporter;
    }

    /** One listener standing for {@code listeners}. */
    static TaskListener of(List<TaskListener> listeners, Reporter reporter) {
        return new Listeners(listeners, reporter);
    }

    private void dispatch(Event e, Task<?> task, @Nullable Object arg) {
        for (int i = 0; i < all.length; i++) {
            if (!broken[i]) {
                try {
                    e.send(all[i], task, arg);
                } catch (Throwable ex) {
                    broken[i] = true;
                    reporter.report(Level.ERROR,
                            "task listener " + all[i] + " threw and is ignored for the rest of the run", ex);
                }
            }
        }
    }

    @Override
    public void spawned(Task<?> task, Optional<Task<?>> parent) {
        dispatch(SPAWNED, task, parent);
    }

    @Override
    public void resumed(Task<?> task) {
        dispatch(RESUMED, task, null);
    }

    /** A suspension's two arguments, passed to every listener as one. */
    private record Suspension(WaitReason reason, Object waitingFor) {}

    @Override
    public void suspended(Task<?> task, WaitReason reason, Object waitingFor) {
        dispatch(SUSPENDED, task, new Suspension(reason, waitingFor));
    }

    @Override
    public void woken(Task<?> task, Optional<Task<?>> by) {
        dispatch(WOKEN, task, by);
    }

    @Override
    public void finished(Task<?> task) {
        dispatch(FINISHED, task, null);
    }
}
