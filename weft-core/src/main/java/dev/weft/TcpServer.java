package dev.weft;

import dev.weft.internal.Closing;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * A TCP server of a loop (asyncio's {@code start_server}): accepts connections on an address and
 * runs each one's {@link Handler} as a task of the loop, closing the connection when the handler
 * returns. At most {@code maxConnections} handlers run at once; further connections wait in the
 * operating system's backlog until one ends.
 *
 * <pre>{@code
 * try (TcpServer server = TcpServer.listen(new InetSocketAddress("127.0.0.1", 0), 1000, conn -> {
 *     for (Optional<String> line; (line = conn.readLine(8192)).isPresent(); ) {
 *         conn.write(line.get() + "\n");
 *         conn.flush();
 *     }
 * })) {
 *     ... // server.port()
 * }
 * }</pre>
 *
 * <p>Closing: {@link #close()} stops accepting and cancels the running handlers at once;
 * {@link #close(Duration)} stops accepting, lets the handlers finish for up to a grace period, then
 * cancels the rest. Both wait until every handler has ended. A handler that fails is reported by the
 * loop as any task nobody awaited, with its stack trace; the server goes on. A handler ended by its
 * connection's own error (the peer reset the connection, or closed it before the bytes a read
 * expected) is not a failure: a peer going away is normal for a server, and is logged in one line at
 * DEBUG ({@code System.Logger} {@code dev.weft}). An accept that fails for want of resources (no
 * file descriptor left, say) is reported, and accepting pauses for a second, as in asyncio. Must be
 * used from a task of the loop.
 */
public final class TcpServer implements AutoCloseable {
    /** What a server does with each connection; the connection is closed when it returns or throws. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Serves {@code connection}, in a task of its own. An exception fails the task (reported with its
         * stack trace), unless it is the connection's own error: the peer went away.
         */
        void handle(TcpConnection connection) throws Exception;
    }

    /** How long accepting pauses after it failed for another reason than the closing of the server. */
    private static final Duration ACCEPT_RETRY = Duration.ofSeconds(1);

    private final ServerSocketChannel socket;
    private final InetSocketAddress address;
    private final Handler handler;
    private final @Nullable SSLContext tls;
    private final Semaphore slots;
    private final Set<Task<Void>> handlers = new LinkedHashSet<>();
    private final Task<Void> acceptor;
    private boolean closing;

    private TcpServer(ServerSocketChannel socket, int maxConnections, @Nullable SSLContext tls, Handler handler)
            throws IOException {
        this.socket = socket;
        this.address = (InetSocketAddress) socket.getLocalAddress();
        this.handler = handler;
        this.tls = tls;
        this.slots = new Semaphore(maxConnections);
        this.acceptor = Weft.spawn("accept on " + address, this::acceptLoop);
    }

    /**
     * Listens on {@code address} (port 0: any free port; see {@link #port()}) and starts accepting in
     * a task of the current loop.
     *
     * @throws java.net.BindException if the address is in use (its message names the address)
     * @throws IllegalArgumentException if {@code maxConnections} is less than 1
     */
    public static TcpServer listen(InetSocketAddress address, int maxConnections, Handler handler) throws IOException {
        return listen(address, maxConnections, null, false, handler);
    }

    /**
     * {@link #listen(InetSocketAddress, int, Handler)} on an address that other loops listen on too
     * ({@code SO_REUSEPORT}): the kernel spreads new connections among them. A loop runs on one core,
     * as asyncio's does; a server that needs every core runs one loop per core, each on a platform
     * thread of its own, each with such a server on the same address (the first may take port 0,
     * the others its {@link #port()}):
     *
     * <pre>{@code
     * InetSocketAddress address = new InetSocketAddress("127.0.0.1", 8080);
     * for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
     *     Thread.ofPlatform().start(() -> Weft.run(() -> {
     *         try (TcpServer server = TcpServer.listenShared(address, 10_000, handler)) {
     *             new Event().await(); // serves until the task is cancelled
     *         }
     *     }));
     * }
     * }</pre>
     *
     * Each loop's connections stay on that loop. Only processes of the same user can share a port.
     *
     * @throws UnsupportedOperationException if this platform has no {@code SO_REUSEPORT} (Windows)
     * @throws java.net.BindException if the address is in use by a socket that does not share it
     */
    public static TcpServer listenShared(InetSocketAddress address, int maxConnections, Handler handler)
            throws IOException {
        return listen(address, maxConnections, null, true, handler);
    }

    /**
     * {@link #listen(InetSocketAddress, int, Handler)} for TLS with {@code tls} (its key manager holds
     * the server's certificate): each connection's handshake runs in its handler's task, before the
     * handler; a connection whose handshake fails is closed without reaching the handler.
     */
    public static TcpServer listenTls(InetSocketAddress address, int maxConnections, SSLContext tls, Handler handler)
            throws IOException {
        return listen(address, maxConnections, Objects.requireNonNull(tls, "tls"), false, handler);
    }

    private static TcpServer listen(InetSocketAddress address, int maxConnections, @Nullable SSLContext tls,
            boolean shared, Handler handler)
            throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handler, "handler");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
        }
        Waits.current("TcpServer.listen");
        ServerSocketChannel s = ServerSocketChannel.open();
        try {
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (shared) {
                if (!s.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new UnsupportedOperationException("TcpServer.listenShared needs SO_REUSEPORT, which this"
                            + " platform does not have: use one loop with TcpServer.listen");
                }
                s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            try {
                s.bind(address, Math.min(maxConnections, 4096));
            } catch (IOException e) {
                throw NetErrors.naming("cannot listen on " + address, e);
            }
            return new TcpServer(s, maxConnections, tls, handler);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void acceptLoop() {
        Fiber<?> f = Waits.current("TcpServer.accept");
        while (!closing) {
            slots.acquire();
            SocketChannel s;
            try {
                s = f.withoutTurn(WaitReason.ACCEPT, this, socket::accept, () -> Closing.quietly(socket), Closing::quietly);
            } catch (RuntimeException | Error e) { // cancelled: the server is closing
                slots.release();
                throw e;
            } catch (IOException e) {
                slots.release();
                if (closing || !socket.isOpen()) {
                    return;
                }
                // out of descriptors or memory, say: as asyncio, report it and pause accepting, then go on
                f.scheduler().reporter().report(System.Logger.Level.ERROR, this + " could not accept a connection;"
                        + " accepting again in " + ACCEPT_RETRY.toMillis() + " ms", e);
                Weft.sleep(ACCEPT_RETRY);
                continue;
            }
            Task<Void> h = Weft.spawn("connection from " + remote(s), () -> {
                TcpConnection c;
                try {
                    c = accepted(s);
                } catch (IOException e) {
                    return; // the client failed its TLS handshake: closed, and nothing for the server to report
                }
                serve(c);
            });
            handlers.add(h);
            h.onDone(t -> { // also for a handler cancelled before it ran: its socket and slot are freed
                handlers.remove(t);
                slots.release();
                Closing.quietly(s);
            });
        }
    }

    /**
     * Runs the handler on {@code c}, then closes it. A peer that goes away (resets the connection, or
     * closes it before the bytes a read expected) is normal for a server, and may happen to thousands of
     * connections at once when a client dies: that ends the handler's task quietly, with one line at
     * DEBUG. Anything else the handler throws fails its task, which the loop reports with its stack
     * trace (a bug of the handler).
     */
    private void serve(TcpConnection c) throws Exception {
        try (c) {
            handler.handle(c);
        } catch (Exception e) {
            if (!c.failedBy(e)) {
                throw e;
            }
            Waits.current("TcpServer").scheduler().reporter().report(System.Logger.Level.DEBUG, this + ": the connection from "
                    + c.remoteAddress() + " ended early, the peer went away (" + e + ")", null);
        }
    }

    /** The connection over {@code s}: plain, or TLS after a handshake; {@code s} is closed if that fails. */
    private TcpConnection accepted(SocketChannel s) throws IOException {
        try {
            s.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (tls == null) {
                return TcpConnection.plain(s);
            }
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s.socket(), null, s.socket().getPort(), true);
            ssl.setUseClientMode(false);
            return TcpConnection.tls(ssl, s);
        } catch (IOException | RuntimeException | Error e) {
            Closing.quietly(s);
            throw e;
        }
    }

    private static String remote(SocketChannel s) {
        try {
            return String.valueOf(s.getRemoteAddress());
        } catch (IOException e) {
            return "a closed connection";
        }
    }


    /** The port the server listens on. */
    public int port() {
        return address.getPort();
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return address;
    }

    /** How many handlers are running. */
    public int connections() {
        return handlers.size();
    }

    /** Stops accepting and cancels the running handlers; waits until they have ended. A suspension point. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Stops accepting, lets the running handlers finish for up to {@code grace} (zero or negative:
     * none), then cancels the rest; waits until every handler has ended. Idempotent. A suspension
     * point, shielded: it completes even in a cancelled task.
     */
    public void close(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        Weft.withShield(() -> {
            closing = true;
            Closing.quietly(socket);
            acceptor.cancel("the server is closing");
            Tasks.wait(java.util.List.of(acceptor), WaitMode.ALL_COMPLETED);
            java.util.List<Task<Void>> running = java.util.List.copyOf(handlers); // no new ones: it accepts no more
            if (!running.isEmpty()) {
                Tasks.wait(running, WaitMode.ALL_COMPLETED, grace); // they may finish
                for (Task<Void> h : running) {
                    h.cancel("the server closed after its grace period of " + grace);
                }
                Tasks.wait(running, WaitMode.ALL_COMPLETED);
            }
        });
    }


    @Override
    public String toString() {
        return "TCP server on " + address;
    }
}
