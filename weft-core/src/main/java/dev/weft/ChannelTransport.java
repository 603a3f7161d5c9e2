package dev.weft;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.jspecify.annotations.Nullable;

/** Plain TCP on a non-blocking channel: a read or write that cannot go on waits on the loop's poller. */
final class ChannelTransport implements Transport {
    /** A write of at least this many bytes is bulk transfer; see {@link #bulk}. */
    private static final int BULK = 16 * 1024;

    private final SocketChannel channel;
    private final IoHandle handle;
    private final SocketAddress remote;
    private final SocketAddress local;
    private @Nullable ByteBuffer readView;
    private @Nullable ByteBuffer writeView;
    /**
     * Whether the last read took fewer bytes than it could: the socket was then empty, so the next read
     * first waits until the poller finds it readable (as asyncio reads only then), which saves a read
     * in vain and ends the turn of a task whose peer keeps answering at once.
     */
    private boolean drained;

    ChannelTransport(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        this.channel = channel;
        this.handle = new IoHandle(channel);
        this.remote = channel.getRemoteAddress();
        this.local = channel.getLocalAddress();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = begin("TcpConnection.read", readView, b, off, len);
        readView = buf;
        boolean waited = drained;
        if (drained) { // the last read took all there was: wait for more rather than try in vain
            await(SelectionKey.OP_READ);
        }
        for (;;) {
            int n = channel.read(buf);
            if (n != 0) {
                drained = n < len;
                if (!waited && !drained) {
                    bulk();
                }
                return n;
            }
            await(SelectionKey.OP_READ);
            waited = true;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = begin("TcpConnection.flush", writeView, b, off, len);
        writeView = buf;
        boolean waited = false;
        while (buf.hasRemaining()) {
            if (channel.write(buf) == 0) {
                await(SelectionKey.OP_WRITE);
                waited = true;
            }
        }
        if (!waited && len >= BULK) {
            bulk();
        }
    }

    /**
     * A read that filled its buffer, or a write of {@value #BULK} bytes or more, that did not wait: the
     * peer keeps up, so this task might never wait, and would keep the loop (and its timeouts) from
     * everyone else. It lets the other ready tasks run first (a schedule point, as each of trio's
     * socket operations), without throwing a cancellation, which would lose the bytes just moved.
     */
    private static void bulk() {
        Waits.current("TcpConnection").yieldTurnShielded();
    }

    /**
     * Checks that a task calls {@code operation} and is not cancelled, and returns a buffer over
     * {@code b[off, off + len)}: {@code last} again if it wraps {@code b}.
     */
    @SuppressWarnings("ByteBufferBackingArray") // last is a view made by ByteBuffer.wrap, below
    private static ByteBuffer begin(String operation, @Nullable ByteBuffer last, byte[] b, int off, int len) {
        Waits.current(operation).checkCancelled();
        if (last == null || last.array() != b) {
            return ByteBuffer.wrap(b, off, len);
        }
        return last.limit(off + len).position(off);
    }

    private void await(int op) throws IOException {
        try {
            handle.await(op, this);
        } catch (RuntimeException | Error e) {
            if (Waits.current("TcpConnection").cancelPending()) { // cancelled or timed out: the connection's state is unknown
                close();
            }
            throw e; // else a misuse (a second reader, say) that leaves the connection as it was
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        handle.close();
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public String toString() {
        return "TCP connection to " + remote;
    }
}
