package dev.weft;

import java.util.concurrent.CancellationException;

/**
 * Thrown at a suspension point of a task that has been cancelled, or by {@link Weft#await} on a
 * task that ended cancelled.
 *
 * <p>A task may catch it to clean up, but must let it propagate: a cancelled task that returns
 * normally is reported as having swallowed its cancellation. Cancellation is level-triggered, as in
 * trio: while a task is cancelled, every suspension point in it throws again, so cleanup that has to
 * wait runs inside {@link Weft#shield()}.
 *
 * <p>It extends {@link CancellationException} so that code written against
 * {@code java.util.concurrent} recognises it.
 */
public final class CancelledException extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message saying who cancelled and why. */
    public CancelledException(String message) {
        super(message);
    }
}
