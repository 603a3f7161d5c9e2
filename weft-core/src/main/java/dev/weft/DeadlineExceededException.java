package dev.weft;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A time limit passed: the one exception for "it took too long" from any Weft API (asyncio's
 * {@code TimeoutError}). Thrown at a suspension point inside a {@link Timeout} (or
 * {@link Weft#withTimeout}) whose deadline has passed, and so out of the timed block; by
 * {@link HttpClient} when a connect or request timeout passes; and for a pool task that ran longer
 * than its pool's task timeout. Its message says what took too long and which limit it exceeded.
 *
 * <p>It is a failure, not a cancellation: a task that lets it escape ends failed, and its awaiters
 * see a {@link TaskFailedException} caused by it. While a timeout's deadline is past, every
 * suspension point inside its block throws it again; cleanup that has to wait runs inside
 * {@link Weft#shield()}.
 */
public final class DeadlineExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient @Nullable Timeout timeout;

    /** Creates the exception with a message saying what took too long and which limit passed. */
    public DeadlineExceededException(String message) {
        this(message, null);
    }

    DeadlineExceededException(String message, @Nullable Timeout timeout) {
        super(Objects.requireNonNull(message, "message"));
        this.timeout = timeout;
    }

    /**
     * Whether {@code t}'s deadline is the one that passed: lets a handler around nested timeouts tell
     * its own from an outer one. False for a limit that was not a {@link Timeout} (HTTP, pool).
     */
    public boolean isFrom(Timeout t) {
        Objects.requireNonNull(t, "t");
        return timeout != null && timeout == t;
    }
}
