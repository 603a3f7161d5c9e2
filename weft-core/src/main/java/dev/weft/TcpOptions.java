package dev.weft;

import dev.weft.internal.Args;
import java.time.Duration;
import java.util.Objects;

/**
 * Socket options of a {@link TcpConnection}, made by a {@link Builder}:
 *
 * <pre>{@code
 * TcpOptions options = TcpOptions.builder()
 *         .connectTimeout(Duration.ofSeconds(2))
 *         .bufferSizes(64 * 1024, 64 * 1024)
 *         .build();
 * }</pre>
 *
 * <p>Immutable; one options object may serve any number of connections.
 */
public final class TcpOptions {
    private static final TcpOptions DEFAULTS = builder().build();

    private final Duration connectTimeout;
    private final boolean noDelay;
    /** SO_RCVBUF and SO_SNDBUF in bytes; 0: the system's default. */
    private final int receiveBufferSize;
    private final int sendBufferSize;

    private TcpOptions(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.noDelay = b.noDelay;
        this.receiveBufferSize = b.receiveBufferSize;
        this.sendBufferSize = b.sendBufferSize;
    }

    /** The defaults: a 10 s connect timeout, TCP_NODELAY on, the system's buffer sizes. */
    public static TcpOptions defaults() {
        return DEFAULTS;
    }

    /** A builder that starts from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    boolean noDelay() {
        return noDelay;
    }

    /** SO_RCVBUF in bytes, or 0 for the system's default. */
    int receiveBufferSize() {
        return receiveBufferSize;
    }

    /** SO_SNDBUF in bytes, or 0 for the system's default. */
    int sendBufferSize() {
        return sendBufferSize;
    }

    @Override
    public String toString() {
        return "TcpOptions[connectTimeout=" + connectTimeout + ", noDelay=" + noDelay + ", bufferSizes="
                + (receiveBufferSize == 0 ? "the system's" : receiveBufferSize + "/" + sendBufferSize) + "]";
    }

    /** Sets the options of {@link TcpOptions}; each method checks its value at once. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private boolean noDelay = true;
        private int receiveBufferSize;
        private int sendBufferSize;

        private Builder() {}

        /**
         * How long a connect may take before it fails with a {@link DeadlineExceededException}
         * (default 10 s). This is the operating system's connect timeout, in real time: the loop's
         * clock is not used, and any {@code Weft.timeout} around the connect bounds it too.
         *
         * @throws IllegalArgumentException if {@code timeout} is zero or negative: a limit set in advance
         *     must be positive (unlike the delays of {@code Weft.sleep} and {@code Weft.timeout}, where
         *     zero or negative means now)
         */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            this.connectTimeout = Args.positive(timeout, "connectTimeout");
            return this;
        }

        /** TCP_NODELAY (default on): send small writes at once instead of coalescing them (Nagle off). */
        public Builder noDelay(boolean on) {
            this.noDelay = on;
            return this;
        }

        /**
         * SO_RCVBUF and SO_SNDBUF in bytes (default: the system's sizes, which it may grow as it sees fit).
         *
         * @throws IllegalArgumentException if either size is less than 1
         */
        public Builder bufferSizes(int receive, int send) {
            if (receive < 1 || send < 1) {
                throw new IllegalArgumentException("bufferSizes must be >= 1, got receive " + receive + ", send " + send);
            }
            this.receiveBufferSize = receive;
            this.sendBufferSize = send;
            return this;
        }

        /** The options set so far; the builder may go on to make others. */
        public TcpOptions build() {
            return new TcpOptions(this);
        }
    }
}
