package dev.weft;

/**
 * What a task awaited — another task, or a future — ended cancelled, and the awaiting task itself
 * was not: thrown by {@link Weft#await}, {@link Task#resultNow()}, {@link Outcome#get()} and the
 * combinators of {@link Tasks}, with the cancellation as its cause.
 *
 * <p>It is a failure of the awaiting task, not a cancellation: it may be caught, and if it escapes,
 * the awaiting task ends failed (its awaiters see a {@link TaskFailedException} caused by it), never
 * cancelled, and it never counts as a swallowed cancellation. Weft's cancellation belongs to cancel
 * scopes, so "I was cancelled" ({@link CancelledException}, thrown when a scope around the task is
 * cancelled) and "what I waited for was cancelled by someone else" (this) are different events. If
 * the awaiting task is cancelled too, it gets its own {@link CancelledException} instead.
 */
public final class TaskCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param what what was cancelled, for the message: {@code "task 'fetch'"}, {@code "the awaited future"}
     * @param cancellation the exception it ended with, which says by whom and why
     */
    public TaskCancelledException(String what, Throwable cancellation) {
        super(what + " was cancelled: " + cancellation.getMessage(), cancellation);
    }
}
