package dev.weft;

import static dev.weft.Loops.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** HttpClient against servers that answer badly: typed errors, redirects it follows or not. */
class HttpClientHostileTest {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    private static String redirect(int status, String location) {
        return "HTTP/1.1 " + status + " Moved\r\nLocation: " + location + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    }

    private static HttpClient.Builder client() {
        return HttpClient.builder().http11().retries(3).backoff(Duration.ofMillis(1), Duration.ofMillis(2));
    }

    @Test
    void aNegativeContentLengthIsAMalformedResponseAndIsNotRetried() throws Exception {
        try (RawHttp.Server server = new RawHttp.Server(
                head -> "HTTP/1.1 200 OK\r\nContent-Length: -5\r\nConnection: close\r\n\r\nhello")) {
            HttpException e = run(() -> {
                try (HttpClient http = client().build()) {
                    http.get(server.base() + "/x");
                    throw new AssertionError("no failure");
                } catch (HttpException expected) {
                    return expected;
                }
            });
            assertThat(e.kind()).isEqualTo(HttpException.Kind.MALFORMED_RESPONSE);
            assertThat(server.heads).as("sent once: a malformed response is not retried").hasSize(1);
        }
    }

    @Test
    void aRedirectToFtpIsTheAnswer() throws Exception {
        try (RawHttp.Server server = new RawHttp.Server(head -> redirect(302, "ftp://files.example/x"))) {
            HttpResponse r = run(() -> {
                try (HttpClient http = client().build()) {
                    return http.get(server.base() + "/x");
                }
            });
            assertThat(r.status()).isEqualTo(302);
            assertThat(r.headers().firstValue("location")).contains("ftp://files.example/x");
        }
    }

    @Test
    void redirectsAreFollowedUpToMaxRedirectsAndTheResponseNamesTheFinalUrl() throws Exception {
        try (RawHttp.Server server = new RawHttp.Server(head -> {
            int hop = Integer.parseInt(head.substring(head.indexOf("/hop") + 4, head.indexOf(" HTTP/")));
            return hop == 3 ? OK : redirect(302, "/hop" + (hop + 1));
        })) {
            HttpResponse r = run(() -> {
                try (HttpClient http = client().maxRedirects(3).build()) {
                    return http.get(server.base() + "/hop0");
                }
            });
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.url().toString()).isEqualTo(server.base() + "/hop3");
            HttpException e = run(() -> {
                try (HttpClient http = client().maxRedirects(2).build()) {
                    http.get(server.base() + "/hop0");
                    throw new AssertionError("no failure");
                } catch (HttpException expected) {
                    return expected;
                }
            });
            assertThat(e.kind()).isEqualTo(HttpException.Kind.TOO_MANY_REDIRECTS);
            assertThat(e.reason()).contains("more than 2 redirects").contains("/hop3");
            HttpResponse first = run(() -> {
                try (HttpClient http = client().maxRedirects(0).build()) {
                    return http.get(server.base() + "/hop0");
                }
            });
            assertThat(first.status()).as("not followed: the redirect is the answer").isEqualTo(302);
        }
    }

    @Test
    void credentialsAreNotSentToAnotherOrigin() throws Exception {
        try (RawHttp.Server other = new RawHttp.Server(head -> OK);
                RawHttp.Server server = new RawHttp.Server(head -> redirect(307, other.base() + "/landed"))) {
            run(() -> {
                try (HttpClient http = client().build()) {
                    return http.send(HttpRequest.get(server.base() + "/x").header("Authorization", "Bearer s3cret")
                            .header("X-Kept", "yes"));
                }
            });
            assertThat(server.heads.getFirst()).contains("Authorization: Bearer s3cret");
            assertThat(other.heads.getFirst()).doesNotContainIgnoringCase("authorization").contains("X-Kept: yes");
        }
    }

    @Test
    void aTimeoutIsADeadlineExceededNamingTheOption() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) { // accepts (backlog), never answers
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/slow";
            DeadlineExceededException e = run(() -> {
                try (HttpClient http = client().retries(0).requestTimeout(Duration.ofMillis(200)).build()) {
                    http.get(url);
                    throw new AssertionError("no failure");
                } catch (DeadlineExceededException expected) {
                    return expected;
                }
            });
            assertThat(e).hasMessageContaining("requestTimeout").hasMessageContaining(url);
        }
    }

    @Test
    void aUrlThatDoesNotParseSaysWhatIsWrongOnce() throws Exception {
        HttpException e = run(() -> {
            try (HttpClient http = HttpClient.create()) {
                http.get("not a url");
                throw new AssertionError("no failure");
            } catch (HttpException expected) {
                return expected;
            }
        });
        assertThat(e.kind()).isEqualTo(HttpException.Kind.BAD_URL);
        assertThat(e.url()).isEmpty();
        assertThat(e.getMessage()).doesNotContain("about:").containsOnlyOnce("not a url");
    }

    @Test
    void userInformationNeverAppearsInAnError() throws Exception {
        HttpException e = run(() -> {
            try (HttpClient http = HttpClient.create()) {
                http.get("ftp://alice:pa55word@127.0.0.1/x");
                throw new AssertionError("no failure");
            } catch (HttpException expected) {
                return expected;
            }
        });
        assertThat(e.getMessage()).doesNotContain("pa55word").doesNotContain("alice").contains("ftp://127.0.0.1/x");
        assertThat(HttpRequest.get("http://alice:pa55word@h/x")).hasToString("GET http://h/x");
    }

    @Test
    void aTimeoutIsRetriedLikeAConnectionFailure() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger attempts = new AtomicInteger();
            List<Socket> held = Collections.synchronizedList(new ArrayList<>());
            Thread.ofPlatform().daemon().start(() -> { // accepts, counts, never answers; ends with the socket
                try {
                    while (true) {
                        held.add(silent.accept());
                        attempts.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            assertThatThrownBy(() -> run(() -> {
                try (HttpClient http = client().retries(2).requestTimeout(Duration.ofMillis(200)).build()) {
                    return http.get("http://127.0.0.1:" + silent.getLocalPort() + "/");
                }
            })).isInstanceOf(DeadlineExceededException.class);
            assertThat(attempts.get()).as("the first attempt and two retries").isEqualTo(3);
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
