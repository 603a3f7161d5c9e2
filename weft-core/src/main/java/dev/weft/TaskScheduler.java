package dev.weft;

import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler of one task's virtual thread on a loop with a carrier of its own: queues the task's
 * continuation for the loop's carrier. A virtual thread started from the task's (by an executor of
 * the user's, or the JDK's I/O pollers started lazily) inherits its scheduler: its continuations go
 * to the JDK's shared scheduler instead, so that it neither runs on the loop's carrier nor stops when
 * the run ends.
 */
final class TaskScheduler implements Executor {
    private final CarrierQueue carrier;
    /**
     * The task's continuation: the first one submitted, by the scheduler starting the task's thread
     * (before anything could run on it, so before any thread could inherit this scheduler); read by
     * later submitters after the JDK's own ordering of the thread's states.
     */
    private @Nullable Runnable task;

    TaskScheduler(CarrierQueue carrier) {
        this.carrier = carrier;
    }

    @Override
    public void execute(Runnable continuation) {
        Runnable t = task;
        if (t == null) {
            task = t = continuation;
        }
        if (continuation == t) {
            carrier.submit(continuation);
        } else {
            OwnCarrier.shared().execute(continuation);
        }
    }
}
