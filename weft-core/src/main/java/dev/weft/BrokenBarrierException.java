package dev.weft;

/**
 * Thrown by {@link Barrier#await} when the barrier is broken: it was aborted, reset while the task
 * waited, or its action failed (asyncio's {@code BrokenBarrierError}). Unchecked, unlike
 * {@code java.util.concurrent.BrokenBarrierException}.
 */
public final class BrokenBarrierException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    BrokenBarrierException(String message) {
        super(message);
    }
}
