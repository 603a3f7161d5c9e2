package dev.weft;

/**
 * Thrown by a {@link Queue} that was shut down (Python 3.13's {@code QueueShutDown}): by
 * {@code put} and {@code tryPut} always, by {@code get} and {@code tryGet} once no item is left.
 */
public final class QueueShutDownException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    QueueShutDownException(String message) {
        super(message);
    }
}
