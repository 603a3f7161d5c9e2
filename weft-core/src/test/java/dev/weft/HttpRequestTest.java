package dev.weft;

import static dev.weft.Loops.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** HttpRequest's headers and retries, HttpResponse's body, and a client shared by two loops. */
class HttpRequestTest {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    @Test
    void theLastBodyAndItsContentTypeWin() throws Exception {
        try (RawHttp.Server server = new RawHttp.Server(head -> OK)) {
            run(() -> {
                try (HttpClient http = HttpClient.builder().http11().build()) {
                    return http.send(HttpRequest.post(server.base() + "/x").text("a").json("{}"));
                }
            });
            String head = server.heads.getFirst();
            assertThat(Pattern.compile("(?i)content-type:").matcher(head).results().count()).isEqualTo(1);
            assertThat(head).contains("Content-Type: application/json");
        }
        HttpRequest r = HttpRequest.post("http://h/").json("{}").header("content-type", "text/csv");
        assertThat(r.headers()).containsExactly(Map.entry("content-type", "text/csv"));
    }

    @Test
    void theIdempotentMethodsOfRfc9110AreRetriedAndNoOthers() throws Exception {
        for (String m : List.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE")) {
            assertThat(HttpRequest.of(m, "http://h/").idempotent()).as(m).isTrue();
        }
        for (String m : List.of("POST", "PATCH", "CONNECT")) {
            assertThat(HttpRequest.of(m, "http://h/").idempotent()).as(m).isFalse();
        }
        String busy = "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        for (String m : List.of("OPTIONS", "PATCH")) {
            try (RawHttp.Server server = new RawHttp.Server(head -> busy)) {
                int status = run(() -> {
                    try (HttpClient http = HttpClient.builder().http11().retries(2)
                            .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build()) {
                        return http.send(HttpRequest.of(m, server.base() + "/x")).status();
                    }
                });
                assertThat(status).isEqualTo(503);
                assertThat(server.heads).as(m).hasSize(m.equals("OPTIONS") ? 3 : 1);
            }
        }
    }

    @Test
    void aResponseBodyCannotBeChangedFromOutside() throws Exception {
        try (RawHttp.Server server = new RawHttp.Server(head -> OK)) {
            HttpResponse r = run(() -> {
                try (HttpClient http = HttpClient.builder().http11().build()) {
                    return http.get(server.base() + "/x");
                }
            });
            r.body()[0] = 'X';
            assertThat(r.body()).isEqualTo("ok".getBytes(StandardCharsets.US_ASCII));
            assertThat(r.text()).isEqualTo("ok");
            assertThat(r.bodyLength()).isEqualTo(2);
        }
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose
    void everyPublicMethodRejectsNullAtTheCall() throws Exception {
        HttpRequest r = HttpRequest.get("http://h/");
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = List.of(
                () -> HttpRequest.get(null), () -> HttpRequest.of(null, "http://h/"), () -> r.header("a", null),
                () -> r.query(null, "v"), () -> r.body((byte[]) null, "t"), () -> r.body(new byte[0], null),
                () -> r.text(null), () -> r.json(null), () -> r.form(null), () -> r.timeout(null),
                () -> HttpClient.builder().tls(null), () -> HttpClient.builder().connectTimeout(null));
        for (var call : calls) {
            assertThatThrownBy(call).isInstanceOf(NullPointerException.class).message().isNotBlank();
        }
        run(() -> {
            try (HttpClient http = HttpClient.create()) {
                assertThatThrownBy(() -> http.get(null)).isInstanceOf(NullPointerException.class).hasMessage("url");
                assertThatThrownBy(() -> http.send(null)).isInstanceOf(NullPointerException.class).hasMessage("request");
                assertThatThrownBy(() -> http.stream(null)).isInstanceOf(NullPointerException.class).hasMessage("request");
            }
            return true;
        });
    }

    /** Two loops on two threads share one client with a per-host limit: each loop has its own. */
    @Test
    void twoLoopsShareOneClient() throws Exception {
        try (RawHttp.Server server = new RawHttp.Server(head -> OK);
                HttpClient http = HttpClient.builder().http11().maxPerHost(1).build()) {
            List<CompletableFuture<Integer>> loops = new ArrayList<>();
            for (int l = 0; l < 2; l++) {
                CompletableFuture<Integer> done = new CompletableFuture<>();
                loops.add(done);
                Thread.ofPlatform().start(() -> {
                    try {
                        done.complete(run(() -> {
                            List<Task<HttpResponse>> tasks = new ArrayList<>();
                            for (int i = 0; i < 10; i++) {
                                tasks.add(Weft.spawn(() -> http.get(server.base() + "/x")));
                            }
                            return Tasks.awaitAll(tasks).stream().mapToInt(HttpResponse::status).sum();
                        }));
                    } catch (Throwable e) {
                        done.completeExceptionally(e);
                    }
                });
            }
            for (CompletableFuture<Integer> done : loops) {
                assertThat(done.get(60, TimeUnit.SECONDS)).isEqualTo(2000);
            }
        }
    }
}
