package dev.weft;

import static dev.weft.Loops.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** The HTTP client over TLS: certificates checked, failures typed, HTTP/2 offered through ALPN. */
class HttpsTest {
    /** A TLS server of the loop answering each request on a connection with {@code body}. */
    private static TcpServer https(SSLContext tls, String body) throws IOException {
        return httpsAnswering(tls, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    }

    /** A TLS server of the loop answering each request on a connection with {@code response}. */
    private static TcpServer httpsAnswering(SSLContext tls, String response) throws IOException {
        return TcpServer.listenTls(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10, tls, c -> {
            Optional<String> line = c.readLine(8192);
            while (line.isPresent()) {
                if (line.get().isEmpty()) { // the end of a request's head (GETs: no body)
                    c.write(response);
                    c.flush();
                }
                line = c.readLine(8192);
            }
        });
    }

    @Test
    void aGetOverTlsWithATrustedCertificate() throws Exception {
        SSLContext serverTls = Certificates.server(Certificates.localhost());
        HttpClient.Builder client = HttpClient.builder().tls(Certificates.trusting(Certificates.localhost()));
        List<String> bodies = run(() -> {
            try (TcpServer server = https(serverTls, "secret"); HttpClient http = client.build()) {
                List<String> out = new ArrayList<>();
                for (int i = 0; i < 3; i++) { // kept alive and reused
                    HttpResponse r = http.get("https://localhost:" + server.port() + "/x/" + i);
                    assertThat(r.status()).isEqualTo(200);
                    out.add(r.text());
                }
                return out;
            }
        });
        assertThat(bodies).containsExactly("secret", "secret", "secret");
    }

    /** A redirect from https to http is not followed: it is the answer, with its Location. */
    @Test
    void aRedirectFromHttpsToHttpIsTheAnswer() throws Exception {
        SSLContext serverTls = Certificates.server(Certificates.localhost());
        HttpClient.Builder client = HttpClient.builder().tls(Certificates.trusting(Certificates.localhost()));
        HttpResponse r = run(() -> {
            try (TcpServer server = httpsAnswering(serverTls, "HTTP/1.1 302 Found\r\nLocation: http://localhost:1/plain"
                    + "\r\nContent-Length: 0\r\n\r\n"); HttpClient http = client.build()) {
                return http.get("https://localhost:" + server.port() + "/secure");
            }
        });
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.headers().firstValue("location")).contains("http://localhost:1/plain");
    }

    @Test
    void anUntrustedCertificateIsATlsErrorNamingTheUrl() throws Exception {
        assertTlsFailure(Certificates.localhost(), Certificates.otherHost());
    }

    @Test
    void aCertificateForAnotherHostIsATlsError() throws Exception {
        assertTlsFailure(Certificates.otherHost(), Certificates.otherHost());
    }

    /** A GET of https://localhost from a server presenting {@code presented} to a client trusting {@code trusted}. */
    private static void assertTlsFailure(KeyStore presented, KeyStore trusted) throws Exception {
        SSLContext serverTls = Certificates.server(presented);
        HttpClient.Builder client = HttpClient.builder().tls(Certificates.trusting(trusted));
        run(() -> {
            try (TcpServer server = https(serverTls, "secret"); HttpClient http = client.build()) {
                String url = "https://localhost:" + server.port() + "/";
                assertThatThrownBy(() -> http.get(url)).isInstanceOfSatisfying(HttpException.class, e -> {
                    assertThat(e.kind()).isEqualTo(HttpException.Kind.TLS);
                    assertThat(e.getMessage()).contains(url);
                });
                return true;
            }
        });
    }

    @Test
    void http2IsOfferedThroughAlpnUnlessTheClientIsHttp11() throws Exception {
        assertThat(offeredProtocols(HttpClient.builder())).startsWith("h2").contains("http/1.1");
        assertThat(offeredProtocols(HttpClient.builder().http11())).doesNotContain("h2");
    }

    /** What a client offers in its TLS handshake's ALPN to a server that then speaks HTTP/1.1. */
    private static List<String> offeredProtocols(HttpClient.Builder client) throws Exception {
        CompletableFuture<List<String>> offered = new CompletableFuture<>();
        try (SSLServerSocket ss = (SSLServerSocket) Certificates.server(Certificates.localhost()).getServerSocketFactory()
                .createServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread server = Thread.ofPlatform().daemon().start(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setHandshakeApplicationProtocolSelector((socket, protocols) -> {
                        offered.complete(List.copyOf(protocols));
                        return protocols.contains("http/1.1") ? "http/1.1" : "";
                    });
                    if (RawHttp.readHead(s.getInputStream()) == null) {
                        return;
                    }
                    offered.complete(List.of()); // no ALPN at all
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    offered.completeExceptionally(e);
                }
            });
            HttpClient.Builder trusting = client.tls(Certificates.trusting(Certificates.localhost()));
            String body = run(() -> {
                try (HttpClient http = trusting.build()) {
                    return http.get("https://localhost:" + ss.getLocalPort() + "/").text();
                }
            });
            assertThat(body).isEqualTo("ok");
            server.join(10_000);
        }
        return offered.get(10, TimeUnit.SECONDS);
    }
}
