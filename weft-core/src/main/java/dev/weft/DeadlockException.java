package dev.weft;

/**
 * Thrown by a run when every task of the loop waits and nothing can ever wake any of them: no timer,
 * no other thread, no I/O, no pool. The message lists each task and what it waits for.
 *
 * <p>The loop decides this when it is idle, has no timer scheduled and no outside source of
 * wake-ups pending (a {@code toThread} call, an awaited {@code CompletableFuture}, a pool result,
 * I/O). Before throwing, the run cancels the deadlocked tasks so that their cleanup runs.
 */
public final class DeadlockException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a report of who waits for what. */
    public DeadlockException(String report) {
        super(report);
    }
}
