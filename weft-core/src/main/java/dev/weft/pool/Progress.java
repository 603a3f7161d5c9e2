package dev.weft.pool;

/**
 * Told how far a {@code map} has come, after each chunk: from a pool thread, so it must be quick and
 * thread-safe (a progress bar is).
 */
@FunctionalInterface
public interface Progress {
    /**
     * Tells that {@code done} items of {@code total} are done.
     *
     * @param done items done so far
     * @param total all items, or -1 while not known (a lazy {@code imap} input)
     */
    void update(long done, long total);
}
