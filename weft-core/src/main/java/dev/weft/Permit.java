package dev.weft;

/**
 * What {@code hold()} of a {@link Lock}, {@link Semaphore} or {@link CapacityLimiter} returns: closing
 * it releases what was acquired, once, so it fits try-with-resources.
 *
 * <pre>{@code
 * try (Permit p = lock.hold()) {
 *     ... // the lock is held here, and released however the block ends
 * }
 * }</pre>
 */
public interface Permit extends AutoCloseable {
    /** Releases what was acquired; does nothing the second time. */
    @Override
    void close();
}
