package dev.weft;

import static dev.weft.TcpStreamTest.LOOPBACK;
import static dev.weft.TcpStreamTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ReviewNetTest {
    private static SSLContext serverTls;
    private static SSLContext clientTls;

    @BeforeAll
    static void makeContexts() throws Exception {
        serverTls = Certificates.server(Certificates.localhost());
        clientTls = Certificates.trusting(Certificates.localhost());
    }

    /**
     * A TLS write blocked because the peer does not read, interrupted by a Weft.timeout: the abort
     * (SSLSocket.close, run on the loop's turn) must not stall the loop.
     */
    @Test
    void aTimeoutEndsATlsWriteBlockedOnAPeerThatDoesNotReadAndTheLoopGoesOn() throws Exception {
        // a loop frozen by the abort would never return: the preemptive timeout turns that into a failure
        long ticks = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(() -> {
            AtomicLong count = new AtomicLong();
            Task<Void> ticker = Weft.spawn(() -> {
                for (;;) {
                    Weft.sleep(Duration.ofMillis(10));
                    count.incrementAndGet();
                }
            });
            try (TcpServer s = TcpServer.listenTls(LOOPBACK, 10, serverTls, c -> Weft.sleepUntil(Long.MAX_VALUE));
                    TcpConnection c = TcpConnection.connectTls("localhost", s.port(),
                            TcpOptions.builder().bufferSizes(8192, 8192).build(), clientTls)) {
                assertThatThrownBy(() -> Weft.withTimeout(Duration.ofMillis(500), () -> {
                    byte[] chunk = new byte[64 * 1024];
                    for (;;) {
                        c.write(chunk);
                        c.flush();
                    }
                })).isInstanceOf(DeadlineExceededException.class);
                assertThat(c.isClosed()).isTrue();
                long before = count.get();
                while (count.get() == before) { // the loop still runs other tasks
                    Weft.sleep(Duration.ofMillis(10));
                }
                return count.get();
            } finally {
                ticker.cancel();
            }
        }));
        assertThat(ticks).isPositive();
    }

    /**
     * Closing a TLS connection while another task's write is blocked on a peer that does not read:
     * the close (close_notify, which waits for the write) must wait without the loop, and a
     * cancellation of the closing task ends both at once.
     */
    @Test
    void closingATlsConnectionWhoseWriteIsBlockedWaitsWithoutTheLoopAndACancellationEndsIt() throws Exception {
        long ticks = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(() -> {
            try (TcpServer s = TcpServer.listenTls(LOOPBACK, 10, serverTls, c -> Weft.sleepUntil(Long.MAX_VALUE))) {
                TcpConnection c = TcpConnection.connectTls("localhost", s.port(),
                        TcpOptions.builder().bufferSizes(8192, 8192).build(), clientTls);
                AtomicLong written = new AtomicLong();
                Task<Void> writer = Weft.spawn(() -> {
                    byte[] chunk = new byte[4 * 1024];
                    for (;;) {
                        c.write(chunk);
                        c.flush();
                        written.addAndGet(chunk.length);
                    }
                });
                // the writer fills the buffers and stays blocked: no 4 KiB write has finished for 300 ms
                for (int still = 0, last = -1; still < 30;) {
                    Weft.sleep(Duration.ofMillis(10));
                    int now = (int) written.get();
                    still = now == last && writer.state() == Task.State.SUSPENDED ? still + 1 : 0;
                    last = now;
                }
                Task<Void> closer = Weft.spawn(() -> {
                    c.close();
                    return null;
                });
                long count = 0;
                for (int i = 0; i < 5; i++) { // the loop runs this task while the close waits
                    Weft.sleep(Duration.ofMillis(10));
                    count++;
                }
                assertThat(closer.isDone()).isFalse();
                closer.cancel();
                assertThatThrownBy(() -> Weft.await(closer)).isInstanceOf(dev.weft.TaskCancelledException.class);
                assertThatThrownBy(() -> Weft.await(writer)).hasCauseInstanceOf(IOException.class);
                assertThat(c.isClosed()).isTrue();
                return count;
            }
        }));
        assertThat(ticks).isEqualTo(5);
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
            try (Socket s = new Socket("127.0.0.1", port.get())) {
                connected.complete(null);
                s.setSoTimeout(5000);
                int r;
                try {
                    r = s.getInputStream().read();
                } catch (SocketTimeoutException e) {
                    r = 42; // still open after 5 s: nobody closed the accepted socket
                } catch (java.io.IOException e) {
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
            return null;
        });
        client.join(10_000);
        assertThat(port.get()).as("the client's read: -1 is closed, 42 is left open").isEqualTo(-1);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void timeoutOfABlockedTlsReadEnds() throws Exception {
        CompletableFuture<Object> r = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                r.complete(run(() -> {
                    try (TcpServer s = TcpServer.listenTls(LOOPBACK, 10, serverTls, c -> Weft.sleepUntil(Long.MAX_VALUE));
                            TcpConnection c = TcpConnection.connectTls("localhost", s.port(), TcpOptions.defaults(), clientTls)) {
                        try (var t = Weft.timeout(Duration.ofMillis(300))) {
                            return c.readLine(100);
                        } catch (DeadlineExceededException e) {
                            return "timed out";
                        }
                    }
                }));
            } catch (Throwable e) {
                r.completeExceptionally(e);
            }
        });
        assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo("timed out");
    }
}
