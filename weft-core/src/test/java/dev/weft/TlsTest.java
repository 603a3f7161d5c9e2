package dev.weft;

import static dev.weft.TcpStreamTest.LOOPBACK;
import static dev.weft.TcpStreamTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS over loopback with self-signed certificates that the JDK's keytool makes for each run: the
 * handshake's checks, and timeouts, cancellations and closes of a TLS connection whose peer does not
 * read, which must never hold the loop.
 */
class TlsTest {
    private static SSLContext serverTls;
    private static SSLContext clientTls;

    @BeforeAll
    static void makeContexts() throws Exception {
        serverTls = Certificates.server(Certificates.localhost());
        clientTls = Certificates.trusting(Certificates.localhost());
    }

    private static TcpServer echo(SSLContext tls) throws IOException {
        return TcpServer.listenTls(LOOPBACK, 10, tls, c -> {
            Optional<String> line = c.readLine(1024);
            while (line.isPresent()) {
                c.write("tls " + line.get() + "\n");
                c.flush();
                line = c.readLine(1024);
            }
        });
    }

    /** Connects to {@code server} over TLS with {@code tls}, sends {@code line} and returns the answer. */
    private static String roundTrip(TcpServer server, SSLContext tls, String line) throws IOException {
        try (TcpConnection c = TcpConnection.connectTls("localhost", server.port(), TcpOptions.defaults(), tls)) {
            c.write(line + "\n");
            c.flush();
            return c.readLine(1024).orElseThrow();
        }
    }

    @Test
    void linesAreEchoedOverTls() throws Exception {
        String reply = run(() -> {
            try (TcpServer server = echo(serverTls)) {
                return roundTrip(server, clientTls, "hello");
            }
        });
        assertThat(reply).isEqualTo("tls hello");
    }

    @Test
    void anUntrustedCertificateFailsTheHandshakeAndTheServerGoesOn() throws Exception {
        SSLContext trustsOther = Certificates.trusting(Certificates.otherHost());
        String after = run(() -> {
            try (TcpServer server = echo(serverTls)) {
                assertThatThrownBy(() -> TcpConnection.connectTls("localhost", server.port(), TcpOptions.defaults(),
                        trustsOther)).isInstanceOf(SSLHandshakeException.class);
                return roundTrip(server, clientTls, "still here");
            }
        });
        assertThat(after).isEqualTo("tls still here");
    }

    @Test
    void aCertificateForAnotherHostFailsTheHandshake() throws Exception {
        SSLContext otherServer = Certificates.server(Certificates.otherHost());
        SSLContext trustsOther = Certificates.trusting(Certificates.otherHost()); // trusted, but it names other.example, not localhost
        run(() -> {
            try (TcpServer server = echo(otherServer)) {
                assertThatThrownBy(() -> TcpConnection.connectTls("localhost", server.port(), TcpOptions.defaults(),
                        trustsOther)).isInstanceOf(SSLHandshakeException.class);
            }
        });
    }

    /** A done callback (where a task cannot wait) may close a TLS connection: it is closed at once. */
    @Test
    void aTlsConnectionClosedFromADoneCallbackIsClosed() throws Exception {
        List<Object> seen = run(() -> {
            try (TcpServer s = TcpServer.listenTls(LOOPBACK, 10, serverTls, c -> {
                try {
                    c.readLine(100);
                } catch (IOException e) {
                    // the client went away
                }
            })) {
                TcpConnection c = TcpConnection.connectTls("localhost", s.port(), TcpOptions.defaults(), clientTls);
                Task<Void> t = Weft.spawn(() -> Weft.sleep(Duration.ofMillis(1)));
                Throwable[] thrown = {null};
                t.onDone(x -> {
                    try {
                        c.close();
                    } catch (IOException | RuntimeException e) {
                        thrown[0] = e;
                    }
                });
                Weft.await(t);
                return Arrays.asList(c.isClosed(), thrown[0]);
            }
        });
        assertThat(seen).containsExactly(true, null);
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
            try (TcpServer s = TcpServer.listenTls(LOOPBACK, 10, serverTls, c -> Weft.sleepForever());
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
            try (TcpServer s = TcpServer.listenTls(LOOPBACK, 10, serverTls, c -> Weft.sleepForever())) {
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
                });
                long count = 0;
                for (int i = 0; i < 5; i++) { // the loop runs this task while the close waits
                    Weft.sleep(Duration.ofMillis(10));
                    count++;
                }
                assertThat(closer.isDone()).isFalse();
                closer.cancel();
                assertThatThrownBy(() -> Weft.await(closer)).isInstanceOf(TaskCancelledException.class);
                assertThatThrownBy(() -> Weft.await(writer)).hasCauseInstanceOf(IOException.class);
                assertThat(c.isClosed()).isTrue();
                return count;
            }
        }));
        assertThat(ticks).isEqualTo(5);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void timeoutOfABlockedTlsReadEnds() throws Exception {
        CompletableFuture<Object> r = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                r.complete(run(() -> {
                    try (TcpServer s = TcpServer.listenTls(LOOPBACK, 10, serverTls, c -> Weft.sleepForever());
                            TcpConnection c = TcpConnection.connectTls("localhost", s.port(), TcpOptions.defaults(), clientTls)) {
                        try (var _ = Weft.timeout(Duration.ofMillis(300))) {
                            return c.readLine(100).orElseThrow();
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
