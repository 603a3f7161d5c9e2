package dev.weft.testing;

import static dev.weft.testing.Loops.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.DeadlineExceededException;
import dev.weft.HttpClient;
import dev.weft.HttpException;
import dev.weft.HttpRequest;
import dev.weft.HttpResponse;
import dev.weft.HttpStream;
import dev.weft.Loop;
import dev.weft.Task;
import dev.weft.TaskCancelledException;
import dev.weft.Tasks;
import dev.weft.Weft;
import java.io.InputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP client against the mock API on loopback, in each hostile mode. */
class HttpClientTest {
    interface WithApi<T> {
        T run(MockApi api, HttpClient http) throws Exception;
    }

    static <T> T withApi(HttpClient.Builder client, WithApi<T> body) throws Exception {
        return run(() -> {
            try (MockApi api = MockApi.builder().build(); HttpClient http = client.build()) {
                return body.run(api, http);
            }
        });
    }

    /** Test code that returns nothing. */
    @FunctionalInterface
    interface WithApiAction {
        void run(MockApi api, HttpClient http) throws Exception;
    }

    /** {@link #withApi} for a body that returns nothing. */
    static void withApiRun(HttpClient.Builder client, WithApiAction body) throws Exception {
        withApi(client, (api, http) -> {
            body.run(api, http);
            return true;
        });
    }

    static HttpException.Kind failure(HttpClient http, String url) {
        try {
            http.get(url);
        } catch (HttpException e) {
            assertThat(e.getMessage()).contains(url.contains("://") ? url.substring(0, url.indexOf('?') < 0 ? url.length()
                    : url.indexOf('?')) : "");
            return e.kind();
        }
        throw new AssertionError("no failure for " + url);
    }

    @Test
    void getsAResponseWithStatusHeadersAndBody() throws Exception {
        HttpResponse r = withApi(HttpClient.builder(), (api, http) -> http.send(HttpRequest.get(api.baseUrl() + "/users")
                .query("size", "100").query("status", "201").header("X-Test", "yes")));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.ok()).isTrue();
        assertThat(r.body()).hasSize(100);
        assertThat(r.text()).startsWith("{\"data\":\"");
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
    }

    @Test
    void anErrorStatusIsAResponseNotAnException() throws Exception {
        HttpResponse r = withApi(HttpClient.builder(), (api, http) -> http.get(api.baseUrl() + "/missing?status=404"));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.ok()).isFalse();
    }

    @Test
    void eachHostileModeGivesItsTypedErrorNamingTheUrl() throws Exception {
        withApiRun(HttpClient.builder().requestTimeout(Duration.ofMillis(200)).maxResponseBytes(100_000).http11(),
                (api, http) -> {
                    String base = api.baseUrl();
                    assertThatThrownBy(() -> http.get(base + "/a?mode=hang")).isInstanceOf(DeadlineExceededException.class)
                            .hasMessageContaining("requestTimeout").hasMessageContaining(base + "/a");
                    assertThat(failure(http, base + "/b?mode=malformed")).isEqualTo(HttpException.Kind.MALFORMED_RESPONSE);
                    assertThat(failure(http, base + "/c?mode=close&size=1000"))
                            .isEqualTo(HttpException.Kind.CONNECTION_FAILED);
                    assertThat(failure(http, base + "/d?mode=endless")).isEqualTo(HttpException.Kind.BODY_TOO_LARGE);
                    assertThat(failure(http, base + "/e?size=200000")).isEqualTo(HttpException.Kind.BODY_TOO_LARGE);
                    assertThat(http.get(base + "/f").status()).as("other requests are unaffected").isEqualTo(200);
                });
    }

    @Test
    void badUrlsAndRefusedConnectionsAreTypedErrors() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        int port = closed;
        withApiRun(HttpClient.builder(), (api, http) -> {
            assertThat(failure(http, "not a url at all")).isEqualTo(HttpException.Kind.BAD_URL);
            assertThat(failure(http, "ftp://127.0.0.1/file")).isEqualTo(HttpException.Kind.BAD_URL);
            assertThat(failure(http, "http://127.0.0.1:" + port + "/x")).isEqualTo(HttpException.Kind.CONNECTION_REFUSED);
        });
    }

    @Test
    void idempotentRequestsAreRetriedOn503AndPostsAreNot() throws Exception {
        withApiRun(HttpClient.builder().retries(2).backoff(Duration.ofMillis(1), Duration.ofMillis(5)), (api, http) -> {
            assertThat(http.get(api.baseUrl() + "/busy?status=503").status()).isEqualTo(503);
            assertThat(api.statistics().requests()).isEqualTo(3); // the first try and two retries
            assertThat(http.send(HttpRequest.post(api.baseUrl() + "/busy?status=503").json("{}")).status())
                    .isEqualTo(503);
            assertThat(api.statistics().requests()).isEqualTo(4); // a POST is sent once
        });
    }

    @Test
    void retryAfterIsHonouredOnTheLoopClock() throws Exception {
        // the server runs in a loop of its own: its sockets would keep a virtual clock from jumping
        long waitedNanos;
        try (MockApi.Background api = MockApi.builder().buildInBackground();
                Loop loop = Loop.builder().virtualClock().noStallWatchdog().build()) {
            waitedNanos = loop.run(() -> {
                try (HttpClient http = HttpClient.builder().retries(1).backoff(Duration.ofMillis(1), Duration.ofMinutes(1))
                        .build()) {
                    long t0 = Weft.nanoTime();
                    assertThat(http.get(api.baseUrl() + "/later?status=429&retry_after=7").status()).isEqualTo(429);
                    return Weft.nanoTime() - t0;
                }
            });
        }
        assertThat(waitedNanos).isGreaterThanOrEqualTo(Duration.ofSeconds(7).toNanos());
    }

    @Test
    void noMoreThanMaxPerHostRequestsAtOnce() throws Exception {
        withApiRun(HttpClient.builder().maxPerHost(2), (api, http) -> {
            List<Task<HttpResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(Weft.spawn(() -> http.get(api.baseUrl() + "/slow?latency_ms=20")));
            }
            Tasks.awaitAll(calls);
            assertThat(api.statistics().maxInFlight()).isEqualTo(2);
        });
    }

    @Test
    void anOuterTimeoutIsThrownAsItIsAndCancellationAbortsTheRequest() throws Exception {
        withApiRun(HttpClient.builder(), (api, http) -> {
            assertThatThrownBy(() -> Weft.withTimeout(Duration.ofMillis(50), () -> http.get(api.baseUrl() + "/x?mode=hang")))
                    .isInstanceOf(DeadlineExceededException.class);
            Task<HttpResponse> call = Weft.spawn(() -> http.get(api.baseUrl() + "/y?mode=hang"));
            while (api.statistics().inFlight() < 2) {
                Weft.sleep(Duration.ofMillis(1));
            }
            call.cancel();
            assertThatThrownBy(() -> Weft.await(call)).isInstanceOf(TaskCancelledException.class);
        });
    }

    @Test
    void requestsAreBuiltWithQueryFormAndValidation() {
        HttpRequest r = HttpRequest.get("http://h/p?a=1").query("b", "x y").query("c", "é");
        assertThat(r.url()).isEqualTo("http://h/p?a=1&b=x+y&c=%C3%A9");
        assertThat(r.idempotent()).isTrue();
        assertThat(HttpRequest.post("http://h/").form(java.util.Map.of("k", "v w")).idempotent()).isFalse();
        assertThatThrownBy(() -> HttpRequest.of("BAD METHOD", "http://h/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpClient.builder().maxPerHost(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStreamedResponseIsReadAsItComesEvenWhenItNeverEnds() throws Exception {
        withApiRun(HttpClient.builder().http11(), (api, http) -> {
            byte[] b = new byte[8192];
            long total = 0;
            try (HttpStream s = http.stream(HttpRequest.get(api.baseUrl() + "/big?size=1000000"))) {
                assertThat(s.status()).isEqualTo(200);
                for (int n; (n = s.read(b, 0, b.length)) >= 0;) {
                    total += n;
                }
            }
            assertThat(total).isEqualTo(1_000_000);
            try (HttpStream s = http.stream(HttpRequest.get(api.baseUrl() + "/forever?mode=endless"))) {
                long read = 0;
                while (read < 300_000) { // then stop: closing drops the rest
                    read += s.read(b, 0, b.length);
                }
                assertThat(read).isGreaterThanOrEqualTo(300_000);
            }
            assertThat(http.get(api.baseUrl() + "/after").status()).isEqualTo(200);
        });
    }

    @Test
    void anUnknownHostIsTypedAndNamesTheUrl() throws Exception {
        run(() -> {
            try (HttpClient http = HttpClient.builder().retries(0).build()) {
                assertThat(failure(http, "http://no-such-host.test/x")).isEqualTo(HttpException.Kind.UNKNOWN_HOST);
            }
        });
    }

    @Test
    void redirectsAreFollowedUpToALimit() throws Exception {
        withApiRun(HttpClient.builder(), (api, http) -> {
            HttpResponse r = http.get(api.baseUrl() + "/start?redirects=3");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.url().toString()).endsWith("/redirected?redirects=0");
            assertThat(failure(http, api.baseUrl() + "/start?redirects=50")).isEqualTo(HttpException.Kind.TOO_MANY_REDIRECTS);
        });
        HttpResponse notFollowed = withApi(HttpClient.builder().followRedirects(false),
                (api, http) -> http.get(api.baseUrl() + "/start?redirects=1"));
        assertThat(notFollowed.status()).isEqualTo(302);
        assertThat(notFollowed.headers().firstValue("location")).contains("/redirected?redirects=0");
    }

    @Test
    void anOpenStreamHoldsItsHostSlotUntilItIsClosed() throws Exception {
        withApiRun(HttpClient.builder().http11().maxPerHost(1), (api, http) -> {
            HttpStream s = http.stream(HttpRequest.get(api.baseUrl() + "/big?size=100000"));
            Task<Integer> next = Weft.spawn(() -> http.get(api.baseUrl() + "/next").status());
            // a correct client keeps the second request waiting for as long as the stream is open
            Tasks.wait(List.of(next), dev.weft.WaitMode.ALL_COMPLETED, Duration.ofMillis(300));
            assertThat(next.isDone()).isFalse();
            assertThat(api.statistics().requests()).isEqualTo(1);
            s.close();
            assertThat(Weft.await(next)).isEqualTo(200);
        });
    }

    @Test
    void aTimeoutEndsAWaitingStreamRead() throws Exception {
        withApiRun(HttpClient.builder().http11(), (api, http) -> {
            try (HttpStream s = http.stream(HttpRequest.get(api.baseUrl() + "/slow?mode=trickle&size=100"))) {
                byte[] b = new byte[100];
                assertThatThrownBy(() -> Weft.withTimeout(Duration.ofMillis(50), () -> {
                    for (int n; (n = s.read(b, 0, b.length)) >= 0;) {
                        // one byte every 100 ms: the timeout comes first
                    }
                })).isInstanceOf(DeadlineExceededException.class);
            }
        });
    }

    @Test
    void aStreamedRequestBodyIsSentChunked() throws Exception {
        withApiRun(HttpClient.builder().http11(), (api, http) -> {
            byte[] data = new byte[200_000];
            HttpResponse r = http.send(HttpRequest.post(api.baseUrl() + "/upload")
                    .body(() -> new java.io.ByteArrayInputStream(data), "application/octet-stream"));
            assertThat(r.status()).isEqualTo(200);
            assertThat(api.statistics().bodyBytes()).isEqualTo(200_000);
        });
    }

    @Test
    void spellingsOfOneHostShareItsLimit() throws Exception {
        withApiRun(HttpClient.builder().maxPerHost(1), (api, http) -> {
            String upper = api.baseUrl().replace("http://", "HTTP://");
            Task<HttpResponse> a = Weft.spawn(() -> http.get(api.baseUrl() + "/a?latency_ms=20"));
            Task<HttpResponse> b = Weft.spawn(() -> http.get(upper + "/b?latency_ms=20"));
            Tasks.awaitAll(List.of(a, b));
            assertThat(api.statistics().maxInFlight()).isEqualTo(1);
        });
    }

    /** A streamed request body whose stream is slow must not hold up the client's other requests. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBlockedStreamedRequestBodyDoesNotStallOtherRequests() throws Exception {
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Void> blocked = new CompletableFuture<>();
        int status = withApi(HttpClient.builder().http11(), (api, http) -> {
            Task<HttpResponse> upload = Weft.spawn(() -> http.send(HttpRequest.put(api.baseUrl() + "/upload")
                    .body(() -> new InputStream() {
                        private boolean sent;

                        @Override
                        public int read() {
                            throw new UnsupportedOperationException();
                        }

                        @Override
                        public int read(byte[] b, int off, int len) {
                            if (sent) {
                                return -1;
                            }
                            blocked.complete(null);
                            try {
                                released.await(); // a source that blocks: a pipe, a network share, stdin
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            sent = true;
                            b[off] = 'x';
                            return 1;
                        }
                    }, "text/plain")));
            Weft.await(blocked); // the upload is under way, its body blocked
            HttpResponse other = http.get(api.baseUrl() + "/other"); // would wait for ever if the body blocked the client
            released.countDown();
            Weft.await(upload);
            return other.status();
        });
        assertThat(status).isEqualTo(200);
    }
}
