package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** TCP streams against servers on loopback, on real-clock loops (behaviour only, no timing asserted). */
class TcpStreamTest {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** {@link #run(Body)} for a body that returns nothing. */
    static void run(Action<Exception> main) throws Exception {
        run(main.asBody());
    }

    static <T> T run(Body<T, Exception> main) throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().build()) {
            return loop.run(main);
        }
    }

    /** A server whose every connection is handled by {@code handler}. */
    static TcpServer serve(TcpServer.Handler handler) throws Exception {
        return TcpServer.listen(LOOPBACK, 100, handler);
    }

    @Test
    void linesAreEchoedOverAConnection() throws Exception {
        String reply = run(() -> {
            try (TcpServer server = serve(c -> {
                Optional<String> line = c.readLine(1024);
                while (line.isPresent()) {
                    c.write("echo " + line.get() + "\n");
                    c.flush();
                    line = c.readLine(1024);
                }
            }); TcpConnection c = TcpConnection.connect("127.0.0.1", server.port())) {
                c.write("one\r\ntwo\n");
                c.flush();
                return c.readLine(1024).orElseThrow() + "|" + c.readLine(1024).orElseThrow();
            }
        });
        assertThat(reply).isEqualTo("echo one|echo two");
    }

    @Test
    void readExactlyCollectsBytesSentInPieces() throws Exception {
        byte[] got = run(() -> {
            try (TcpServer server = serve(c -> {
                for (String piece : new String[] {"abc", "defg", "hij"}) {
                    c.write(piece);
                    c.flush();
                    Weft.yield();
                }
            }); TcpConnection c = TcpConnection.connect("127.0.0.1", server.port())) {
                return c.readExactly(10);
            }
        });
        assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo("abcdefghij");
    }

    @Test
    void readExactlyThrowsEofWhenThePeerEndsEarly() throws Exception {
        run(() -> {
            try (TcpServer server = serve(c -> c.write("short")); TcpConnection c = TcpConnection.connect("127.0.0.1",
                    server.port())) {
                assertThatThrownBy(() -> c.readExactly(10)).isInstanceOf(EOFException.class)
                        .hasMessageContaining("after 5 of 10 bytes");
            }
        });
    }

    @Test
    void readUntilIncludesTheDelimiterAndALineOverTheLimitFails() throws Exception {
        run(() -> {
            try (TcpServer server = serve(c -> c.write("a;bb;" + "x".repeat(100) + "\n"));
                    TcpConnection c = TcpConnection.connect("127.0.0.1", server.port())) {
                assertThat(new String(c.readUntil((byte) ';', 10), StandardCharsets.UTF_8)).isEqualTo("a;");
                assertThat(new String(c.readUntil((byte) ';', 10), StandardCharsets.UTF_8)).isEqualTo("bb;");
                assertThatThrownBy(() -> c.readLine(50).orElseThrow()).isInstanceOf(LimitExceededException.class)
                        .hasMessageContaining("no delimiter within 50 bytes");
            }
        });
    }

    @Test
    void readUntilThrowsEofWhenTheStreamEndsBeforeTheDelimiterAndReadLineReturnsTheLastLine() throws Exception {
        run(() -> {
            try (TcpServer server = serve(c -> c.write("no end"));
                    TcpConnection c = TcpConnection.connect("127.0.0.1", server.port())) {
                assertThatThrownBy(() -> c.readUntil((byte) ';', 100)).isInstanceOf(EOFException.class);
            }
            try (TcpServer server = serve(c -> c.write("last line without end"));
                    TcpConnection c = TcpConnection.connect("127.0.0.1", server.port())) {
                assertThat(c.readLine(100)).contains("last line without end");
                assertThat(c.readLine(100)).isEmpty();
            }
        });
    }

    @Test
    void aHalfCloseLetsThePeerSeeTheEndAndStillReply() throws Exception {
        String reply = run(() -> {
            try (TcpServer server = serve(c -> {
                int total = 0;
                byte[] b = new byte[64];
                for (int n; (n = c.read(b, 0, b.length)) >= 0;) {
                    total += n;
                }
                c.write("got " + total + "\n");
            }); TcpConnection c = TcpConnection.connect("127.0.0.1", server.port())) {
                c.write("0123456789");
                c.shutdownOutput();
                return c.readLine(100).orElseThrow();
            }
        });
        assertThat(reply).isEqualTo("got 10");
    }

    @Test
    void aWaitingReadDoesNotHoldTheLoop() throws Exception {
        int ticks = run(() -> {
            Event go = new Event();
            int[] count = {0};
            try (TcpServer server = serve(c -> {
                go.await(); // answers only after the ticker has run
                c.write("done\n");
            }); TcpConnection c = TcpConnection.connect("127.0.0.1", server.port())) {
                Weft.spawn(() -> {
                    for (int i = 0; i < 100; i++) {
                        count[0]++;
                        Weft.yield();
                    }
                    go.set();
                });
                assertThat(c.readLine(100)).contains("done"); // the ticker ran while this waited
                return count[0];
            }
        });
        assertThat(ticks).isEqualTo(100);
    }

    @Test
    void cancellingAWaitingReadEndsItAndClosesTheConnection() throws Exception {
        run(() -> {
            Event never = new Event();
            try (TcpServer server = serve(c -> never.await());
                    TcpConnection c = TcpConnection.connect("127.0.0.1", server.port())) {
                Task<String> reader = Weft.spawn(() -> c.readLine(100).orElseThrow());
                while (reader.state() != Task.State.SUSPENDED) {
                    Weft.yield();
                }
                reader.cancel();
                assertThatThrownBy(() -> Weft.await(reader)).isInstanceOf(TaskCancelledException.class);
                assertThat(c.isClosed()).isTrue();
                never.set();
            }
        });
    }

    @Test
    void aTimeoutEndsAWaitingRead() throws Exception {
        run(() -> {
            Event never = new Event();
            try (TcpServer server = serve(c -> never.await());
                    TcpConnection c = TcpConnection.connect("127.0.0.1", server.port())) {
                assertThatThrownBy(() -> Weft.withTimeout(Duration.ofMillis(50), () -> c.readLine(100).orElseThrow()))
                        .isInstanceOf(DeadlineExceededException.class);
                assertThat(c.isClosed()).isTrue();
                never.set();
            }
        });
    }

    @Test
    void connectingWhereNobodyListensIsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int closed = port;
        run(() -> {
            assertThatThrownBy(() -> TcpConnection.connect("127.0.0.1", closed)).isInstanceOf(ConnectException.class)
                    .hasMessageStartingWith("cannot connect to 127.0.0.1:" + closed + ": ")
                    .hasCauseInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> TcpConnection.connect("localhost", closed)).isInstanceOf(ConnectException.class)
                    .hasMessageContaining("localhost:" + closed + " (127.0.0.1)");
        });
    }

    @Test
    void aConnectThatTakesLongerThanTheConnectTimeoutIsADeadlineExceeded() throws Exception {
        // a listener that never accepts, its backlog full: the system drops further handshakes, so a
        // connect waits until its timeout
        List<Socket> backlog = new ArrayList<>();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
            for (boolean full = false; !full;) {
                Socket b = new Socket();
                backlog.add(b);
                try {
                    b.connect(address, 200);
                } catch (SocketTimeoutException e) {
                    full = true;
                }
            }
            TcpOptions quick = TcpOptions.builder().connectTimeout(Duration.ofMillis(200)).build();
            run(() -> {
                assertThatThrownBy(() -> TcpConnection.connect("127.0.0.1", address.getPort(), quick))
                        .isInstanceOf(DeadlineExceededException.class)
                        .hasMessage("connecting to 127.0.0.1:" + address.getPort() + " took longer than the connect"
                                + " timeout (TcpOptions connectTimeout) of PT0.2S")
                        .hasCauseInstanceOf(SocketTimeoutException.class);
            });
        } finally {
            for (Socket b : backlog) {
                b.close();
            }
        }
    }

    @Test
    void anUnknownHostIsAnUnknownHostException() throws Exception {
        run(() -> {
            assertThatThrownBy(() -> TcpConnection.connect("no-such-host.test", 80))
                    .isInstanceOf(java.net.UnknownHostException.class).hasMessageContaining("no-such-host.test");
        });
    }

    /**
     * A read that fills its buffer did not wait, and the peer may keep it so for ever: it is a
     * schedule point, so other tasks (and timeouts) still run. 64 KiB are in the socket before the read.
     */
    @Test
    void aReadThatFillsItsBufferLetsTheOtherReadyTasksRun() throws Exception {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        try (ServerSocket peer = new ServerSocket(0, 10, InetAddress.getLoopbackAddress()); Loop loop = Loop.builder().noStallWatchdog().build()) {
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = peer.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(new byte[64 * 1024]);
                    out.flush();
                    sent.complete(null);
                    s.getInputStream().read(); // until the reader closes
                } catch (IOException e) {
                    sent.completeExceptionally(e);
                }
            });
            long[] ran = loop.run(() -> {
                long[] count = {0};
                Task<Void> ticker = Weft.spawn(() -> {
                    for (;;) {
                        count[0]++;
                        Weft.yield();
                    }
                });
                try (TcpConnection c = TcpConnection.connect("127.0.0.1", peer.getLocalPort())) {
                    Weft.await(sent);
                    byte[] b = new byte[1024];
                    long before = count[0];
                    int n = c.read(b, 0, b.length); // fills the connection's 16 KiB buffer from the socket
                    return new long[] {n, count[0] - before};
                } finally {
                    ticker.cancel();
                }
            });
            assertThat(ran[0]).isEqualTo(1024);
            assertThat(ran[1]).as("turns the ticker had during the read").isPositive();
        }
    }
}
