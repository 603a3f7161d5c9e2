package dev.weft;

/**
 * A scope that cancellation from outside does not reach, used with try-with-resources around cleanup
 * that must wait: trio's {@code CancelScope(shield=True)}. Opened by {@link Weft#shield()}; a
 * {@link CancelScope} can also be shielded, and unshielded, with {@link CancelScope#shield(boolean)}.
 *
 * <pre>{@code
 * } finally {
 *     try (Shield s = Weft.shield()) {
 *         Weft.await(connection.closeGracefully()); // runs even though the task is cancelled
 *     }
 * }
 * }</pre>
 *
 * <p>Inside it, suspension points throw only for the cancel scopes, timeouts and task groups opened
 * inside it. Keep shielded work short and bounded (put a {@link Timeout} inside it): a shielded wait
 * that never ends keeps its task, and a cancelled task group or run, waiting forever. Must be closed
 * by the task that opened it.
 */
public interface Shield extends AutoCloseable {
    @Override
    void close();
}
