package dev.weft.pool;

import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * An exception a task threw in a worker process that could not travel back as it was (it, or
 * something it holds, is not serializable, or its class is unknown here), standing in for it: its
 * class name, its message and the worker-side stack trace, and its causes in the same form.
 * (Named after where it happened, as {@link WorkerDiedException}; not {@code java.rmi}'s
 * {@code RemoteException}: decision 0022.)
 */
public final class WorkerException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String className;

    private WorkerException(String className, @Nullable String message, StackTraceElement[] trace,
            @Nullable WorkerException cause) {
        super(className + (message == null ? "" : ": " + message), cause);
        this.className = className;
        setStackTrace(trace);
    }

    /** The class of the original exception. */
    public String className() {
        return className;
    }

    /** A copy of {@code t} (and its causes) that can be serialized whatever {@code t} holds. */
    static WorkerException of(Throwable t) {
        Throwable c = t.getCause();
        WorkerException cause = c == null || c == t ? null : of(c);
        return new WorkerException(t.getClass().getName(), t.getMessage(), t.getStackTrace(), cause);
    }
}
