package dev.weft;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by an operation on a closed {@link Channel}: sending on a channel closed either way, or
 * receiving from one that is {@linkplain Received.Done done} or {@linkplain Received.Failed failed}.
 * {@link #getCause()} is the failure the channel was closed with, or null if it was closed normally;
 * {@link #closed()} says which as a type.
 */
public final class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ChannelClosedException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** How the channel was closed: {@link Received.Done} or {@link Received.Failed}. */
    public Received<?> closed() {
        return getCause() == null ? new Received.Done<>() : new Received.Failed<>(getCause());
    }
}
