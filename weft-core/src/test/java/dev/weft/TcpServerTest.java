package dev.weft;

import static dev.weft.TcpStreamTest.LOOPBACK;
import static dev.weft.TcpStreamTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TcpServer: its connection limit, its closing, what it reports when a handler fails or a peer goes away. */
class TcpServerTest {

    @Test
    void noMoreThanMaxConnectionsHandlersRunAtOnce() throws Exception {
        List<Integer> seen = new ArrayList<>();
        run(() -> {
            Event release = new Event();
            int[] running = {0};
            try (TcpServer server = TcpServer.listen(LOOPBACK, 2, c -> {
                running[0]++;
                seen.add(running[0]);
                try {
                    c.write("hello\n");
                    c.flush();
                    release.await();
                } finally {
                    running[0]--;
                }
            })) {
                List<TcpConnection> clients = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    clients.add(TcpConnection.connect("127.0.0.1", server.port())); // the third waits in the backlog
                }
                assertThat(clients.get(0).readLine(100)).contains("hello");
                assertThat(clients.get(1).readLine(100)).contains("hello");
                assertThat(server.connections()).isEqualTo(2);
                release.set();
                assertThat(clients.get(2).readLine(100)).contains("hello"); // served once a slot freed
                for (TcpConnection c : clients) {
                    c.close();
                }
            }
        });
        assertThat(seen).hasSize(3).allMatch(n -> n <= 2);
    }

    @Test
    void aGracefulCloseLetsHandlersFinishAndCancelsTheRestAfterTheGracePeriod() throws Exception {
        List<String> log = new ArrayList<>();
        run(() -> {
            Event never = new Event();
            TcpServer server = TcpServer.listen(LOOPBACK, 10, c -> {
                String what = c.readLine(100).orElseThrow();
                try {
                    if (what.equals("slow")) {
                        never.await();
                    } else {
                        Weft.sleep(Duration.ofMillis(10));
                    }
                    log.add(what + " finished");
                } catch (dev.weft.CancelledException e) {
                    log.add(what + " cancelled");
                    throw e;
                }
            });
            try (TcpConnection quick = TcpConnection.connect("127.0.0.1", server.port());
                    TcpConnection slow = TcpConnection.connect("127.0.0.1", server.port())) {
                quick.write("quick\n");
                quick.flush();
                slow.write("slow\n");
                slow.flush();
                while (server.connections() < 2) {
                    Weft.sleep(Duration.ofMillis(1));
                }
                server.close(Duration.ofMillis(200));
                assertThat(server.connections()).isZero();
                assertThat(slow.readLine(100)).isEmpty(); // the server closed its side
            }
        });
        assertThat(log).containsExactlyInAnyOrder("quick finished", "slow cancelled");
    }

    @Test
    @ExpectsReports("the failing handler")
    void aFailingHandlerIsReportedWithItsStackTraceAndDoesNotStopTheServer() throws Exception {
        Reports reports = new Reports();
        String second = runReporting(reports, () -> {
            int[] n = {0};
            try (TcpServer server = TcpServer.listen(LOOPBACK, 10, c -> {
                if (n[0]++ == 0) {
                    throw new IllegalStateException("the first handler fails");
                }
                c.write("served\n");
            })) {
                try (TcpConnection first = TcpConnection.connect("127.0.0.1", server.port())) {
                    assertThat(first.readLine(100)).isEmpty(); // closed by the server after the failure
                }
                try (TcpConnection c = TcpConnection.connect("127.0.0.1", server.port())) {
                    return c.readLine(100).orElseThrow();
                }
            }
        });
        assertThat(second).isEqualTo("served");
        assertThat(reports.all()).singleElement().satisfies(r -> {
            assertThat(r.level()).isEqualTo(Level.WARNING);
            assertThat(r.message()).contains("task 'connection from /127.0.0.1:", "nobody observed its failure");
            assertThat(r.cause()).hasMessage("the first handler fails");
        });
    }

    @Test
    @ExpectsReports("the failing handler")
    void anIoExceptionOfTheHandlersOwnIsAFailureWithItsStackTrace() throws Exception {
        Reports reports = new Reports();
        runReporting(reports, () -> {
            try (TcpServer server = TcpServer.listen(LOOPBACK, 10, c -> {
                c.readLine(100);
                throw new IOException("the handler's own");
            }); TcpConnection c = TcpConnection.connect("127.0.0.1", server.port())) {
                c.write("request\n");
                c.flush();
                assertThat(c.readLine(100)).isEmpty(); // closed by the server after the failure
            }
        });
        assertThat(reports.all()).singleElement().satisfies(r -> {
            assertThat(r.level()).isEqualTo(Level.WARNING);
            assertThat(r.cause()).hasMessage("the handler's own");
        });
    }

    /** How a client goes away in the middle of a request. */
    enum Departure {
        /** Sends half a request, then resets the connection (SO_LINGER 0): the handler's read fails. */
        RESET_WHILE_THE_SERVER_READS,
        /** Sends half a request, then closes: the handler's readExactly meets the end of the stream. */
        CLOSE_MID_REQUEST,
        /** Resets the connection while the handler writes it a long answer. */
        RESET_WHILE_THE_SERVER_WRITES
    }

    @ParameterizedTest
    @EnumSource(Departure.class)
    void aPeerGoingAwayIsOneLineAtDebugNotAFailure(Departure departure) throws Exception {
        Reports reports = new Reports();
        CompletableFuture<Void> handlerReads = new CompletableFuture<>();
        CompletableFuture<Void> handlerEnded = new CompletableFuture<>();
        runReporting(reports, () -> {
            try (TcpServer server = TcpServer.listen(LOOPBACK, 10, c -> {
                try {
                    if (departure == Departure.RESET_WHILE_THE_SERVER_WRITES) {
                        c.readLine(100);
                        for (byte[] chunk = new byte[64 * 1024];;) {
                            c.write(chunk);
                            c.flush();
                        }
                    }
                    handlerReads.complete(null);
                    c.readExactly(10);
                } finally {
                    handlerEnded.complete(null);
                }
            })) {
                Weft.toThread(() -> {
                    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                        client.getOutputStream().write("half\n".getBytes(StandardCharsets.US_ASCII));
                        if (departure == Departure.RESET_WHILE_THE_SERVER_WRITES) {
                            client.getInputStream().readNBytes(1000); // the answer is under way
                        } else {
                            handlerReads.get();
                        }
                        if (departure != Departure.CLOSE_MID_REQUEST) {
                            client.setSoLinger(true, 0); // close sends a reset
                        }
                    }
                });
                Weft.await(handlerEnded); // what follows it in the handler's task does not wait
            }
        });
        assertThat(reports.all()).singleElement().satisfies(r -> {
            assertThat(r.level()).isEqualTo(Level.DEBUG);
            assertThat(r.message()).startsWith("TCP server on /127.0.0.1:").contains(": the connection from /127.0.0.1:")
                    .contains("ended early, the peer went away (java.").doesNotContain("\n");
            assertThat(r.cause()).isNull();
        });
    }

    @Test
    void listeningOnAnAddressInUseSaysWhichAddress() throws Exception {
        run(() -> {
            try (TcpServer first = TcpServer.listen(LOOPBACK, 10, c -> {})) {
                InetSocketAddress taken = first.address();
                assertThatThrownBy(() -> TcpServer.listen(taken, 10, c -> {})).isInstanceOf(BindException.class)
                        .hasMessageStartingWith("cannot listen on " + taken + ": ")
                        .hasCauseInstanceOf(BindException.class);
            }
        });
    }

    /**
     * A connection accepted just as the server closes: the acceptor's blocking accept returned a
     * socket, but a cancellation (server.close) reaches it before it gets the turn back.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aConnectionAcceptedAsTheServerClosesIsClosed() throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Void> connected = new CompletableFuture<>();
        Thread client = Thread.ofPlatform().daemon().start(() -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port.get())) {
                connected.complete(null);
                s.setSoTimeout(5000);
                int r;
                try {
                    r = s.getInputStream().read();
                } catch (SocketTimeoutException e) {
                    r = 42; // still open after 5 s: nobody closed the accepted socket
                } catch (IOException e) {
                    r = -1; // reset: closed
                }
                port.obtrudeValue(r);
            } catch (Exception e) {
                connected.completeExceptionally(e);
            }
        });
        run(() -> {
            TcpServer server = TcpServer.listen(LOOPBACK, 10, c -> c.readLine(100));
            port.complete(server.port());
            Weft.yield(); // the acceptor is in accept
            // hold the turn: the client connects and accept returns while the acceptor cannot get the turn back
            connected.get(5, TimeUnit.SECONDS);
            long until = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            server.close(); // cancels the acceptor before it runs again
        });
        client.join(10_000);
        assertThat(port.get()).as("the client's read: -1 is closed, 42 is left open").isEqualTo(-1);
    }

    private static void runReporting(Reports reports, Action<Exception> main) throws Exception {
        runReporting(reports, main.asBody());
    }

    private static <T> T runReporting(Reports reports, Body<T, Exception> main) throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().reporter(reports).build()) {
            return loop.run(main);
        }
    }
}
