package dev.weft.pool;

import java.io.Serial;

/**
 * A task's exception that could not travel back from a worker process as it was (it or something it
 * holds is not serializable, or its class is unknown here): its class name, message and the
 * worker-side stack trace.
 */
public final class RemoteException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String className;

    RemoteException(String className, String message, StackTraceElement[] trace, RemoteException cause) {
        super(className + (message == null ? "" : ": " + message), cause);
        this.className = className;
        setStackTrace(trace);
    }

    /** The class of the original exception. */
    public String className() {
        return className;
    }

    /** A copy of {@code t} (and its causes) that can be serialized whatever {@code t} holds. */
    public static RemoteException of(Throwable t) {
        RemoteException cause = t.getCause() == null || t.getCause() == t ? null : of(t.getCause());
        return new RemoteException(t.getClass().getName(), t.getMessage(), t.getStackTrace(), cause);
    }
}
