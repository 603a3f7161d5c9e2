package dev.weft;

import dev.weft.internal.Closing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * A blocking socket (TLS over TCP) whose calls run on the task's virtual thread without the turn;
 * a cancellation aborts a blocked call by closing the TCP socket under it.
 */
final class SocketTransport implements Transport {
    private final Socket socket;
    /** The TCP socket under {@link #socket}: closing it ends a blocked call at once. */
    private final Socket raw;
    private final InputStream in;
    private final OutputStream out;
    private final SocketAddress remote;
    private final SocketAddress local;

    /** A transport over {@code socket}, which runs over {@code raw} (a TLS socket over a TCP one). */
    SocketTransport(Socket socket, Socket raw) throws IOException {
        this.socket = socket;
        this.raw = raw;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.remote = socket.getRemoteSocketAddress();
        this.local = socket.getLocalSocketAddress();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Fiber<?> f = Waits.current("TcpConnection.read");
        f.checkCancelled();
        return in.available() > 0 ? in.read(b, off, len) // there: no need to give up the turn
                : f.withoutTurn(WaitReason.READ, this, () -> in.read(b, off, len), this::abort);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Waits.current("TcpConnection.flush").withoutTurn(WaitReason.WRITE, this, () -> {
            out.write(b, off, len);
            out.flush();
        }, this::abort);
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /**
     * Closing TLS sends a close_notify, which waits while the peer does not read (and for a write
     * in progress): so it runs without the turn, and a cancellation, a task already cancelled, or a
     * close from where a task cannot wait (a done callback) skips it and closes the TCP socket at once.
     */
    @Override
    public void close() throws IOException {
        try {
            Fiber<?> f = Fiber.current();
            if (!isClosed() && f != null && f.state() == dev.weft.Task.State.RUNNING && !f.cancelPending()) {
                f.withoutTurn(WaitReason.WRITE, "closing " + this, () -> {
                    socket.close();
                }, this::abort);
            }
        } finally {
            raw.close();
        }
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed() || raw.isClosed();
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    /** Ends a blocked call at once: closes the TCP socket (never the TLS one, which may wait for its locks). */
    private void abort() {
        Closing.quietly(raw);
    }

    @Override
    public String toString() {
        return "TLS connection to " + remote;
    }
}
