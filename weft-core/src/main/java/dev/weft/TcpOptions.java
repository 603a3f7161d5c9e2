package dev.weft;

import java.time.Duration;
import java.util.Objects;

/**
 * Socket options of a {@link TcpConnection}.
 *
 * @param connectTimeout how long a connect may take before it fails (loop clock is not used: this is
 *     the operating system's connect timeout); also bounded by any {@code Weft.timeout} around it.
 *     Must be positive: a limit set in advance, unlike the delays of {@code Weft.sleep} and
 *     {@code Weft.timeout}, where zero or negative means now
 * @param noDelay TCP_NODELAY: send small writes at once instead of coalescing them (Nagle off)
 * @param receiveBufferSize SO_RCVBUF in bytes, or 0 for the system's default
 * @param sendBufferSize SO_SNDBUF in bytes, or 0 for the system's default
 */
public record TcpOptions(Duration connectTimeout, boolean noDelay, int receiveBufferSize, int sendBufferSize) {
    /** The defaults: a 10 s connect timeout, TCP_NODELAY on, the system's buffer sizes. */
    public static TcpOptions defaults() {
        return new TcpOptions(Duration.ofSeconds(10), true, 0, 0);
    }

    public TcpOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
        }
        if (receiveBufferSize < 0 || sendBufferSize < 0) {
            throw new IllegalArgumentException("buffer sizes must be >= 0 (0: the system's default)");
        }
    }

    public TcpOptions withConnectTimeout(Duration timeout) {
        return new TcpOptions(timeout, noDelay, receiveBufferSize, sendBufferSize);
    }

    public TcpOptions withNoDelay(boolean on) {
        return new TcpOptions(connectTimeout, on, receiveBufferSize, sendBufferSize);
    }

    public TcpOptions withBufferSizes(int receive, int send) {
        return new TcpOptions(connectTimeout, noDelay, receive, send);
    }
}
