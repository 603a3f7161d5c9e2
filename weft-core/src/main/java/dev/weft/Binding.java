package dev.weft;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * Ties a primitive of {@code dev.weft.sync} to the run of the loop whose tasks use it, as asyncio
 * binds a primitive to its loop on first use. Its state is then touched only on that run's turn, so
 * it needs no synchronisation. A primitive may be used again by a later run once the earlier one has
 * ended; used by two runs at once, or by a thread that is not a task, it fails with a message that
 * says what to do instead.
 */
final class Binding {
    private static final VarHandle RUN;

    static {
        try {
            RUN = MethodHandles.lookup().findVarHandle(Binding.class, "run", Scheduler.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile @Nullable Scheduler run;

    /**
     * The current task, checked to be a task of this primitive's run.
     *
     * @param primitive the primitive, for the message
     * @param operation what was called, for the message ({@code "Lock.acquire"})
     * @throws IllegalStateException if the caller is not a task, or is a task of another run that has
     *     not ended
     */
    public Fiber<?> enter(Object primitive, String operation) {
        Fiber<?> f = Fiber.current();
        if (f == null) {
            throw new IllegalStateException(operation + " must be called from a task of the loop that uses "
                    + primitive + "; from another thread, hand the work to that loop with"
                    + " loop.submit(() -> ...) (get the loop with Weft.loop() in one of its tasks)");
        }
        Scheduler mine = run;
        if (f.sched != mine) {
            bind(f, mine, primitive, operation);
        }
        return f;
    }

    private void bind(Fiber<?> f, @Nullable Scheduler mine, Object primitive, String operation) {
        while (mine == null || mine.ended()) {
            if (RUN.compareAndSet(this, mine, f.sched)) {
                return;
            }
            mine = run;
            if (mine == f.sched) {
                return;
            }
        }
        throw new IllegalStateException(operation + ": " + primitive + " is in use by another loop that is"
                + " still running; a primitive belongs to one loop at a time: create one per loop, or hand"
                + " the work to the loop that owns it with loop.submit(() -> ...)");
    }
}
