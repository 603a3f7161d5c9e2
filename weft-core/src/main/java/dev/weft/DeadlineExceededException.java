package dev.weft;

/**
 * Thrown at a suspension point inside a {@link Timeout} (or {@link Weft#withTimeout}) whose deadline
 * has passed, and so out of the timed block: asyncio's {@code TimeoutError}.
 *
 * <p>It is a failure, not a cancellation: a task that lets it escape ends failed, and its awaiters
 * see a {@link TaskFailedException} caused by it. While the deadline is past, every suspension point
 * inside the block throws it again; cleanup that has to wait runs inside {@link Weft#shield()}.
 */
public class DeadlineExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Timeout timeout;

    /** Creates the exception with a message naming the deadline that passed. */
    public DeadlineExceededException(String message) {
        this(message, null);
    }

    /** Creates the exception for {@code timeout}, whose deadline passed. */
    public DeadlineExceededException(String message, Timeout timeout) {
        super(message);
        this.timeout = timeout;
    }

    /**
     * The timeout whose deadline passed, or null if none is known: lets a handler around nested
     * timeouts tell its own ({@code e.timeout() == t}) from an outer one.
     */
    public Timeout timeout() {
        return timeout;
    }
}
