package dev.weft;

import java.time.Duration;

/**
 * The fail form of a {@link CancelScope}, used with try-with-resources: asyncio's {@code timeout()}
 * and trio's {@code fail_after}. Opened by {@link Weft#timeout(Duration)} or
 * {@link Weft#timeoutAt(Deadline)}.
 *
 * <pre>{@code
 * try (Timeout t = Weft.timeout(Duration.ofSeconds(2))) {
 *     return Weft.await(fetch);
 * } // DeadlineExceededException if the deadline passed while the block waited
 * }</pre>
 *
 * <p>When the deadline passes, the block is cancelled: its current or next suspension point throws
 * {@link DeadlineExceededException}, and so does every later one inside the block; tasks of task
 * groups opened inside the block are cancelled with a {@link CancelledException}. A block that
 * reaches no suspension point after the deadline is not interrupted (as in trio). Timeouts nest:
 * when an outer one has expired too, its exception is thrown and passes through the inner block (as
 * in asyncio and trio: the outer one wins; tell them apart with
 * {@link DeadlineExceededException#isFrom}). If the outer one expires only while an inner one's
 * exception is already on its way out (during cleanup that waits in a shield), the outer handler
 * gets the inner's exception: Java cannot replace the exception that leaves a try-with-resources
 * block (a move-on {@link CancelScope#run} can, and does). The deadline can be moved until it has
 * passed. A timeout cancelled by hand
 * ({@link #cancel()}) fails its block in the same way (trio's rule for {@code fail_after}).
 * {@link #cancelledCaught()} turns true once the block got this timeout's exception.
 *
 * <p>Must be closed by the task that opened it, in the reverse order of opening. Its {@code run}
 * methods throw {@link IllegalStateException}: a timeout is entered when it is opened.
 */
public interface Timeout extends CancelScope, AutoCloseable {

    /**
     * Whether the deadline passed while the timeout was open, and cancelled its block. Stays false
     * for a timeout closed before its deadline, and for one cancelled by hand.
     */
    boolean expired();

    /** Ends the scope and its timer. Never throws a timeout itself. */
    @Override
    void close();
}
