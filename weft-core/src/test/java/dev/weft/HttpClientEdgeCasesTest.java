package dev.weft;

import static dev.weft.Loops.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HttpClientEdgeCasesTest {
    /** Many retries with a long base: the backoff must not overflow. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void backoffDoesNotOverflowWithManyRetries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Object thrown;
        try (Loop loop = Loop.builder().virtualClock().noStallWatchdog().build()) {
            thrown = loop.run(() -> {
                try (HttpClient http = HttpClient.builder().retries(20)
                        .backoff(Duration.ofDays(1), Duration.ofDays(2)).build()) {
                    http.get("http://127.0.0.1:" + port + "/");
                    return "no failure";
                } catch (Throwable e) {
                    return e;
                }
            });
        }
        assertThat(thrown).isInstanceOf(HttpException.class);
    }

    /** Bad input: a port out of range is a typed error naming the URL, not an IllegalArgumentException. */
    @Test
    void aPortOutOfRangeIsABadUrl() throws Exception {
        Object thrown = run(() -> {
            try (HttpClient http = HttpClient.create()) {
                http.get("http://127.0.0.1:99999/x");
                return "no failure";
            } catch (Throwable e) {
                return e;
            }
        });
        assertThat(thrown).isInstanceOf(HttpException.class);
    }

    /** A server on a platform thread: answers each request with an endless chunked body; completes closed when the client drops it. */
    static java.util.concurrent.CompletableFuture<Void> endlessServer(ServerSocket ss) {
        java.util.concurrent.CompletableFuture<Void> dropped = new java.util.concurrent.CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (Socket s = ss.accept()) {
                InputStream in = s.getInputStream();
                for (int c, state = 0; state < 4 && (c = in.read()) >= 0;) { // up to the end of the headers
                    state = (c == '\r' || c == '\n') ? state + 1 : 0;
                }
                var out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = ("100\r\n" + "x".repeat(256) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                s.setSoTimeout(100);
                for (;;) {
                    out.write(chunk);
                    out.flush();
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                dropped.complete(null);
            }
        });
        return dropped;
    }

    /** Runs {@code main} on a loop of its own thread; fails if it has not ended within {@code seconds}. */
    static Object runBounded(int seconds, dev.weft.Body<Object, Exception> main) throws Exception {
        java.util.concurrent.CompletableFuture<Object> done = new java.util.concurrent.CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            try {
                done.complete(run(main));
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            StringBuilder sb = new StringBuilder();
            for (StackTraceElement el : t.getStackTrace()) {
                sb.append("\n  at ").append(el);
            }
            throw new AssertionError("the loop did not end within " + seconds + " s; its thread:" + sb);
        }
    }

    /**
     * stream(): the response headers have arrived (the future is complete) when a cancellation reaches
     * the task: the body's stream must be closed, else the connection leaks and the server keeps sending.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aCancellationAsTheStreamOpensClosesIt() throws Exception {
        try (ServerSocket ss = new ServerSocket(0)) {
            var dropped = endlessServer(ss);
            HttpClient http = HttpClient.builder().http11().build();
            runBounded(30, () -> {
                Task<HttpStream> opener = Weft.spawn(() -> http.stream(HttpRequest.get("http://127.0.0.1:" + ss.getLocalPort() + "/e")));
                Weft.yield(); // the opener sends and waits
                // hold the turn while the headers arrive, then cancel the opener
                long until = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                opener.cancel();
                try {
                    Weft.await(opener);
                } catch (dev.weft.TaskCancelledException expected) {
                    // as expected
                }
                assertThat(opener.isCancelled()).as("the race was hit").isTrue();
                return true;
            });
            try {
                dropped.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the server still sends the body 5 s after the cancelled stream(): the response stream leaked");
            }
        }
    }

    /** Closing the client while another task's request is in flight must not freeze the loop. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void closingTheClientWithARequestInFlightDoesNotFreezeTheLoop() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) { // accepts (backlog), never answers
            runBounded(20, () -> {
                Task<HttpResponse> pending;
                try (HttpClient http = HttpClient.builder().requestTimeout(Duration.ofSeconds(2)).build()) {
                    pending = Weft.spawn(() -> http.get("http://127.0.0.1:" + silent.getLocalPort() + "/"));
                    Weft.sleep(Duration.ofMillis(200));
                } // close: the 2 s per-attempt timeout of the pending request is a loop timer
                pending.cancel();
                return true;
            });
        }
    }
}
