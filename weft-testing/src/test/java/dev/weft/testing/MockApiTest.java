package dev.weft.testing;

import static dev.weft.testing.Loops.run;
import static dev.weft.testing.RawHttp.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.DeadlineExceededException;
import dev.weft.TcpConnection;
import dev.weft.Weft;
import dev.weft.testing.RawHttp.Response;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The mock API, spoken to in raw HTTP/1.1 over loopback on real-clock loops. */
class MockApiTest {
    @Test
    void answersWithTheSizeAndStatusAskedAndKeepsTheConnectionAlive() throws Exception {
        run(() -> {
            try (MockApi api = MockApi.builder().build();
                    TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                Response a = get(c, "/users/1?size=100&status=201");
                assertThat(a.status()).isEqualTo(201);
                assertThat(a.body()).hasSize(100).startsWith("{\"data\":\"").endsWith("\"}");
                Response b = get(c, "/users/2"); // the same connection
                assertThat(b.status()).isEqualTo(200);
                assertThat(b.body()).hasSize(64);
                assertThat(api.baseUrl()).isEqualTo("http://127.0.0.1:" + api.port());
            }
        });
    }

    @Test
    void answersAfterTheLatencyAtTheEarliest() throws Exception {
        long elapsed = run(() -> {
            try (MockApi api = MockApi.builder().build();
                    TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                long t0 = Weft.nanoTime();
                assertThat(get(c, "/slow?latency_ms=30").status()).isEqualTo(200);
                return (Weft.nanoTime() - t0) / 1_000_000;
            }
        });
        assertThat(elapsed).isGreaterThanOrEqualTo(30);
    }

    @Test
    void latencyDistributionsHaveTheirShape() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        int n = 200_000;
        double[] mean = new double[3];
        double sumSq = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            long u = MockApi.Distribution.UNIFORM.delayMs(100, 20, random);
            assertThat(u).isBetween(100L, 120L);
            mean[0] += u / (double) n;
            long g = MockApi.Distribution.NORMAL.delayMs(100, 20, random);
            mean[1] += g / (double) n;
            sumSq += (g - 100.0) * (g - 100.0) / n;
            long e = MockApi.Distribution.EXPONENTIAL.delayMs(100, 20, random);
            min = Math.min(min, e);
            mean[2] += e / (double) n;
        }
        assertThat(mean[0]).isCloseTo(110, org.assertj.core.data.Offset.offset(0.5));
        assertThat(mean[1]).isCloseTo(100, org.assertj.core.data.Offset.offset(0.5));
        assertThat(Math.sqrt(sumSq)).isCloseTo(20, org.assertj.core.data.Offset.offset(0.5));
        assertThat(mean[2]).isCloseTo(120, org.assertj.core.data.Offset.offset(0.5));
        assertThat(min).isEqualTo(100); // an exponential extra is never negative
        assertThat(MockApi.Distribution.NORMAL.delayMs(0, 1_000, new java.util.SplittableRandom(1))).isNotNegative();
        assertThat(MockApi.Distribution.EXPONENTIAL.delayMs(7, 0, random)).isEqualTo(7);
    }

    @Test
    void aDistributionIsChosenPerRequestAndAnUnknownOneIsABadRequest() throws Exception {
        run(() -> {
            try (MockApi api = MockApi.builder().build();
                    TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                assertThat(get(c, "/x?latency_ms=1&jitter_ms=2&dist=exponential").status()).isEqualTo(200);
                Response bad = get(c, "/x?dist=zipf");
                assertThat(bad.status()).isEqualTo(400);
                assertThat(bad.body()).isEqualTo("dist must be uniform, normal or exponential, got 'zipf'\n");
            }
        });
    }

    @Test
    void retryAfterAddsItsHeaderAndRedirectsComeFirst() throws Exception {
        run(() -> {
            try (MockApi api = MockApi.builder().build();
                    TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                Response busy = get(c, "/x?status=429&retry_after=7");
                assertThat(busy.status()).isEqualTo(429);
                assertThat(busy.headers()).containsEntry("retry-after", "7");
                assertThat(get(c, "/x").headers()).doesNotContainKey("retry-after");
                Response moved = get(c, "/x?redirects=2");
                assertThat(moved.status()).isEqualTo(302);
                assertThat(moved.headers()).containsEntry("location", "/redirected?redirects=1");
                assertThat(get(c, "/redirected?redirects=0").status()).isEqualTo(200);
            }
        });
    }

    @Test
    void anErrorRateOfOneAnswersEveryRequestWith500() throws Exception {
        run(() -> {
            try (MockApi api = MockApi.builder().size(10).errorRate(1).build(); TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                assertThat(get(c, "/x").status()).isEqualTo(500);
            }
        });
    }

    @Test
    void hostileModes() throws Exception {
        run(() -> {
            try (MockApi api = MockApi.builder().build()) {
                try (TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                    c.write("GET /x?mode=malformed HTTP/1.1\r\n\r\n");
                    c.flush();
                    assertThat(c.readLine(1024)).contains("this is not HTTP");
                }
                try (TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                    c.write("GET /x?mode=close&size=100 HTTP/1.1\r\n\r\n");
                    c.flush();
                    assertThat(c.readLine(1024).orElseThrow()).startsWith("HTTP/1.1 200");
                    while (!c.readLine(1024).orElseThrow().isEmpty()) {
                        // headers
                    }
                    assertThatThrownBy(() -> c.readExactly(100)).isInstanceOf(EOFException.class)
                            .hasMessageContaining("after 50 of 100 bytes");
                }
                try (TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                    c.write("GET /x?mode=hang HTTP/1.1\r\n\r\n");
                    c.flush();
                    assertThatThrownBy(() -> Weft.withTimeout(Duration.ofMillis(50), () -> c.readLine(1024).orElseThrow()))
                            .isInstanceOf(DeadlineExceededException.class);
                }
                try (TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                    c.write("GET /x?mode=endless HTTP/1.1\r\n\r\n");
                    c.flush();
                    assertThat(c.readLine(1024).orElseThrow()).startsWith("HTTP/1.1 200");
                    int total = 0;
                    byte[] b = new byte[65536];
                    while (total < 1_000_000) { // far more than any finite answer here
                        total += c.read(b, 0, b.length);
                    }
                    assertThat(total).isGreaterThanOrEqualTo(1_000_000);
                }
            }
        });
    }

    @Test
    void badRequestsGet400WithTheReason() throws Exception {
        run(() -> {
            try (MockApi api = MockApi.builder().build()) {
                try (TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                    Response r = get(c, "/x?mode=sideways");
                    assertThat(r.status()).isEqualTo(400);
                    assertThat(r.body()).isEqualTo("mode must be normal, hang, close, malformed, trickle or endless,"
                            + " got 'sideways'\n");
                }
                try (TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                    c.write("NONSENSE\r\n\r\n");
                    c.flush();
                    assertThat(c.readLine(1024)).contains("HTTP/1.1 400 Bad Request");
                }
            }
        });
    }

    /** A line over the limit is answered, as the 4xx that says which, before the connection is closed. */
    @Test
    void aRequestLineOrHeaderOverTheLimitIsAnsweredBeforeTheConnectionCloses() throws Exception {
        run(() -> {
            try (MockApi api = MockApi.builder().build()) {
                try (TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                    Response r = get(c, "/" + "a".repeat(9000));
                    assertThat(r.status()).isEqualTo(414);
                    assertThat(r.body()).isEqualTo("the request line is longer than 8192 bytes\n");
                    assertThat(r.headers()).containsEntry("connection", "close");
                }
                try (TcpConnection c = TcpConnection.connect("127.0.0.1", api.port())) {
                    c.write("GET / HTTP/1.1\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n");
                    c.flush();
                    assertThat(c.readLine(1024)).contains("HTTP/1.1 431 Request Header Fields Too Large");
                }
            }
        });
    }

    /** A hostile request to the mock API: a huge or bad Content-Length gets an error status, not a crash. */
    @Test
    void theMockApiAnswersABadContentLength() throws Exception {
        String reply = run(() -> {
            try (MockApi api = MockApi.builder().build()) {
                return Weft.toThread(() -> {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
                        s.setSoTimeout(5000);
                        s.getOutputStream().write("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2147483647\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    }
                });
            }
        });
        assertThat(reply).startsWith("HTTP/1.1 4");
    }
}
