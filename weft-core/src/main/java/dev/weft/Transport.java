package dev.weft;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * How a {@link TcpConnection} moves bytes: over a non-blocking channel polled by the loop (plain
 * TCP), or over a blocking socket run without the turn (TLS). Reads and writes wait as suspension
 * points; a cancellation or timeout that ends a wait closes the transport and is thrown.
 */
sealed interface Transport permits ChannelTransport, SocketTransport {
    /** Reads at least one byte into {@code b}, waiting for it; -1 at the end of the stream. */
    int read(byte[] b, int off, int len) throws IOException;

    /** Writes all of {@code b[off, off + len)}, waiting while the network takes it. */
    void write(byte[] b, int off, int len) throws IOException;

    void shutdownOutput() throws IOException;

    /** Closes at once; idempotent. */
    void close() throws IOException;

    boolean isClosed();

    /** The peer's address, as it was when the connection was made (also after closing). */
    SocketAddress remoteAddress();

    /** This end's address, as it was when the connection was made (also after closing). */
    SocketAddress localAddress();
}
