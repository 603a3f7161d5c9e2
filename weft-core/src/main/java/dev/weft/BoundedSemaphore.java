package dev.weft;

/**
 * A {@link Semaphore} that cannot be released more times than it was acquired (asyncio's
 * {@code BoundedSemaphore}): a release that would make more permits free than it started with is a
 * bug in the caller, and fails instead of silently raising the limit.
 */
public final class BoundedSemaphore extends Semaphore {
    private final int bound;

    /**
     * A semaphore with {@code permits} permits, which is also the most it can ever have free.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public BoundedSemaphore(int permits) {
        super(permits);
        this.bound = permits;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if every permit is already free (released more than acquired)
     */
    @Override
    public void release() {
        super.release();
    }

    @Override
    void checkRelease(int free) {
        if (free >= bound) {
            throw new IllegalStateException("BoundedSemaphore.release: released more times than acquired (all "
                    + bound + " permits are already free); every release must match an acquire");
        }
    }
}
