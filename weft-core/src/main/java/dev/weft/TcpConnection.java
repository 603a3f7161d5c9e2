package dev.weft;

import dev.weft.internal.Closing;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A TCP connection read and written by a task (asyncio's {@code StreamReader}/{@code StreamWriter}
 * pair in one object): reads are buffered ({@link #read}, {@link #readExactly}, {@link #readUntil},
 * {@link #readLine}), writes are buffered until {@link #flush}.
 *
 * <p>Waiting for the network suspends the task, never the loop: a plain connection is a non-blocking
 * channel that the loop polls with the others (asyncio's selector), and a TLS connection's calls run
 * on the task's virtual thread without the turn; other tasks run meanwhile. Every method that may wait is a
 * suspension point. Cancellation and timeouts: a read, write or connect interrupted by a cancellation
 * or a {@code Weft.timeout} ends at once and closes the connection (its state is then unknown, as
 * in trio), and the task's cancellation or {@code DeadlineExceededException} is thrown.
 *
 * <p>A connection is used by one task at a time (it is not thread-safe; on a plain connection one task
 * may read while another writes); it must be used from a task.
 * Close it (try-with-resources): {@link #close} flushes what is buffered unless the task is being
 * cancelled, and always closes the socket.
 */
public final class TcpConnection implements AutoCloseable {
    private static final int BUFFER = 16 * 1024;

    private final Transport transport;
    private final String peer;
    private final byte[] readBuffer = new byte[BUFFER];
    private int readPos;
    private int readLimit;
    private boolean eof;
    private final byte[] writeBuffer = new byte[BUFFER];
    private int writeLength;
    /**
     * The last error of the connection itself (reset by the peer, ended before the bytes expected),
     * as opposed to its users' own: see {@link #failedBy}.
     */
    private @Nullable IOException failure;

    private TcpConnection(Transport transport) {
        this.transport = transport;
        this.peer = String.valueOf(transport.remoteAddress());
    }

    /** A plain connection over the connected {@code channel}, which it switches to non-blocking mode. */
    static TcpConnection plain(SocketChannel channel) throws IOException {
        return new TcpConnection(new ChannelTransport(channel));
    }

    /** A TLS connection over {@code tls}, which runs over the connected {@code raw} channel; handshakes first. */
    static TcpConnection tls(SSLSocket tls, SocketChannel raw) throws IOException {
        Waits.current("TLS handshake").withoutTurn(WaitReason.CONNECT, "a TLS handshake with " + tls.getRemoteSocketAddress(), () -> {
            tls.startHandshake();
        }, () -> Closing.quietly(raw)); // closing the TLS socket would wait for its locks, held by the handshake
        return new TcpConnection(new SocketTransport(tls, raw.socket()));
    }

    /** {@link #connect(String, int, TcpOptions)} with {@link TcpOptions#defaults()}. */
    public static TcpConnection connect(String host, int port) throws IOException {
        return connect(host, port, TcpOptions.defaults());
    }

    /**
     * Opens a connection to {@code host}:{@code port} (the name is resolved without holding the loop);
     * a suspension point.
     *
     * @throws java.net.UnknownHostException if the host name cannot be resolved
     * @throws java.net.ConnectException if the connection is refused (its message names the address)
     * @throws DeadlineExceededException if it takes longer than the options'
     *     {@linkplain TcpOptions.Builder#connectTimeout connect timeout}
     */
    public static TcpConnection connect(String host, int port, TcpOptions options) throws IOException {
        SocketChannel ch = open(host, port, options);
        try {
            return plain(ch);
        } catch (IOException | RuntimeException | Error e) {
            Closing.quietly(ch);
            throw e;
        }
    }

    /**
     * Opens a TLS connection to {@code host}:{@code port} with {@code tls} (the JDK's TLS): connects,
     * then runs the handshake, checking that the server's certificate names {@code host}; a
     * suspension point.
     *
     * @throws javax.net.ssl.SSLHandshakeException if the handshake fails (an untrusted or expired
     *     certificate, a certificate for another host, no common protocol)
     */
    public static TcpConnection connectTls(String host, int port, TcpOptions options, SSLContext tls) throws IOException {
        Objects.requireNonNull(tls, "tls");
        SocketChannel ch = open(host, port, options);
        try {
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(ch.socket(), host, port, true);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
            s.setSSLParameters(p);
            return tls(s, ch);
        } catch (IOException | RuntimeException | Error e) {
            Closing.quietly(ch);
            throw e;
        }
    }

    /** A connected channel, in blocking mode. */
    private static SocketChannel open(String host, int port, TcpOptions options) throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        Fiber<?> f = Waits.current("TcpConnection.connect");
        InetSocketAddress address = resolve(f, host, port);
        SocketChannel ch = SocketChannel.open();
        try {
            if (options.receiveBufferSize() > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
            }
            if (options.sendBufferSize() > 0) {
                ch.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
            }
            connect(f, ch, host, address, options.connectTimeout());
            ch.setOption(StandardSocketOptions.TCP_NODELAY, options.noDelay());
            return ch;
        } catch (IOException | RuntimeException | Error e) {
            Closing.quietly(ch);
            throw e;
        }
    }

    /**
     * Connects {@code ch} to {@code address} (named {@code host}) without the turn, within the
     * operating system's {@code connectTimeout}; an error names the address.
     */
    private static void connect(Fiber<?> f, SocketChannel ch, String host, InetSocketAddress address,
            Duration connectTimeout) throws IOException {
        String where = host + ":" + address.getPort()
                + (host.equals(address.getAddress().getHostAddress()) ? "" : " (" + address.getAddress().getHostAddress() + ")");
        long millis = Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        try {
            f.withoutTurn(WaitReason.CONNECT, "a connection to " + where, () -> {
                ch.socket().connect(address, (int) millis);
            }, () -> Closing.quietly(ch));
        } catch (SocketTimeoutException e) {
            DeadlineExceededException late = new DeadlineExceededException("connecting to " + where
                    + " took longer than the connect timeout (TcpOptions connectTimeout) of " + connectTimeout);
            late.initCause(e);
            throw late;
        } catch (IOException e) {
            throw NetErrors.naming("cannot connect to " + where, e);
        }
    }

    /**
     * Resolves {@code host} on another thread (a lookup may take seconds, and the resolver cannot be
     * interrupted: a cancellation does not wait for it); an IP address needs no lookup.
     */
    private static InetSocketAddress resolve(Fiber<?> f, String host, int port) throws UnknownHostException {
        InetSocketAddress a = isIpLiteral(host) ? new InetSocketAddress(host, port)
                : Waits.toThread(f, () -> new InetSocketAddress(host, port));
        if (a.isUnresolved()) {
            throw new UnknownHostException("unknown host " + host);
        }
        return a;
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || (!host.isEmpty() && host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')));
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads up to {@code len} bytes into {@code b}, at least one, waiting for them; returns -1 at the
     * end of the stream (the peer closed or half-closed its side).
     */
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.requireNonNull(b, "b");
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (readPos == readLimit && !fill()) {
            return -1;
        }
        int n = Math.min(len, readLimit - readPos);
        System.arraycopy(readBuffer, readPos, b, off, n);
        readPos += n;
        return n;
    }

    /**
     * Reads exactly {@code n} bytes, waiting for them.
     *
     * @throws EOFException if the stream ends first (asyncio's {@code IncompleteReadError}); the bytes
     *     read before are consumed
     */
    public byte[] readExactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        byte[] b = new byte[n];
        for (int got = 0; got < n;) {
            int r = read(b, got, n - got);
            if (r < 0) {
                throw failed(new EOFException("the connection to " + peer + " ended after " + got + " of " + n
                        + " bytes"));
            }
            got += r;
        }
        return b;
    }

    /**
     * Reads up to and including {@code delimiter}, waiting for it.
     *
     * @throws LimitExceededException if {@code maxBytes} bytes came without the delimiter
     * @throws EOFException if the stream ends before the delimiter
     */
    public byte[] readUntil(byte delimiter, int maxBytes) throws IOException {
        byte[] r = readUntilOrEnd(delimiter, maxBytes);
        if (r.length == 0 || r[r.length - 1] != delimiter) {
            throw failed(new EOFException("the connection to " + peer + " ended before the delimiter, after "
                    + r.length + " bytes"));
        }
        return r;
    }

    /**
     * Reads a line of UTF-8 text, waiting for it, and returns it without its line end ({@code \n} or
     * {@code \r\n}); the last line may lack one. Empty at the end of the stream.
     *
     * @throws LimitExceededException if {@code maxBytes} bytes came without a line end
     */
    public Optional<String> readLine(int maxBytes) throws IOException {
        byte[] r = readUntilOrEnd((byte) '\n', maxBytes);
        if (r.length == 0) {
            return Optional.empty();
        }
        int end = r.length;
        if (r[end - 1] == '\n') {
            end--;
            if (end > 0 && r[end - 1] == '\r') {
                end--;
            }
        }
        return Optional.of(new String(r, 0, end, StandardCharsets.UTF_8));
    }

    /** Bytes up to and including the delimiter, or up to the end of the stream (then without it). */
    private byte[] readUntilOrEnd(byte delimiter, int maxBytes) throws IOException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (;;) {
            if (readPos == readLimit && !fill()) {
                return line.toByteArray();
            }
            for (int i = readPos; i < readLimit; i++) {
                if (readBuffer[i] == delimiter) {
                    int n = i + 1 - readPos;
                    checkLimit(line.size() + n, maxBytes);
                    line.write(readBuffer, readPos, n);
                    readPos = i + 1;
                    return line.toByteArray();
                }
            }
            checkLimit(line.size() + readLimit - readPos, maxBytes);
            line.write(readBuffer, readPos, readLimit - readPos);
            readPos = readLimit;
        }
    }

    private void checkLimit(int size, int maxBytes) throws LimitExceededException {
        if (size > maxBytes) {
            throw new LimitExceededException("no delimiter within " + maxBytes + " bytes from " + peer);
        }
    }

    /** Refills the empty read buffer, waiting if nothing has arrived; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n;
        boolean open = !transport.isClosed();
        try {
            n = transport.read(readBuffer, 0, BUFFER);
        } catch (IOException e) {
            throw open ? failed(e) : e;
        }
        if (n < 0) {
            eof = true;
            return false;
        }
        readPos = 0;
        readLimit = n;
        return true;
    }

    // ---------------------------------------------------------------- writing

    /** Buffers {@code b} for sending; sends when the buffer fills (then a suspension point). */
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.requireNonNull(b, "b");
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (writeLength == BUFFER) {
                flush();
            }
            int n = Math.min(len, BUFFER - writeLength);
            System.arraycopy(b, off, writeBuffer, writeLength, n);
            writeLength += n;
            off += n;
            len -= n;
        }
    }

    /** {@link #write(byte[], int, int)} of all of {@code b}. */
    public void write(byte[] b) throws IOException {
        write(Objects.requireNonNull(b, "b"), 0, b.length);
    }

    /** Buffers {@code text} as UTF-8. */
    public void write(String text) throws IOException {
        write(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends what is buffered, waiting while the network takes it; a suspension point. */
    public void flush() throws IOException {
        if (writeLength == 0) {
            return;
        }
        int n = writeLength;
        writeLength = 0; // sent, or the connection is broken: either way not to be sent again
        boolean open = !transport.isClosed();
        try {
            transport.write(writeBuffer, 0, n);
        } catch (IOException e) {
            throw open ? failed(e) : e;
        }
    }

    /** Flushes, then closes the sending side (the peer reads the end of the stream); reading goes on. */
    public void shutdownOutput() throws IOException {
        flush();
        transport.shutdownOutput();
    }

    // ---------------------------------------------------------------- state

    /** The peer's address. */
    public SocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    /** This end's address. */
    public SocketAddress localAddress() {
        return transport.localAddress();
    }

    /** Whether the connection was closed (by {@link #close}, or by a cancelled read or write). */
    public boolean isClosed() {
        return transport.isClosed();
    }

    /** {@code e}, remembered as an error of the connection itself. */
    private IOException failed(IOException e) {
        failure = e;
        return e;
    }

    /**
     * Whether {@code t}, or an exception that caused it, is an error of the connection itself that
     * its last read or write met (or an end of the stream before the bytes a read expected), rather
     * than one of its user's own: for a server, the peer went away.
     */
    boolean failedBy(Throwable t) {
        for (Throwable x = t; x != null && failure != null; x = x.getCause()) {
            if (x == failure) {
                return true;
            }
        }
        return false;
    }

    /**
     * Flushes what is buffered, unless the task is being cancelled or the connection is broken, and
     * closes the socket whatever happens. Idempotent.
     */
    @Override
    public void close() throws IOException {
        try {
            Fiber<?> f = Fiber.current();
            if (writeLength > 0 && failure == null && !isClosed() && f != null && !f.cancelPending()) {
                flush();
            }
        } finally {
            transport.close();
        }
    }

    @Override
    public String toString() {
        return "TCP connection to " + peer;
    }
}
