package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** HttpClient and the redirects it does not follow. */
class HttpForeignSchemeRedirectTest {
    /**
     * The JDK's client (Redirect.NORMAL) follows a redirect only to the same scheme or to https; it
     * returns any other redirect (an OAuth callback to an app scheme, say) as the answer. It once
     * failed as TOO_MANY_REDIRECTS after a single redirect.
     */
    @Test
    void aRedirectToASchemeTheClientNeverFollowsIsTheAnswerNotTooManyRedirects() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().name("redirecting-peer").start(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    if (RawHttp.readHead(in) == null) {
                        return;
                    }
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 302 Found\r\nLocation: myapp://callback?code=42\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    while (in.read() >= 0) {
                        // until the client closes
                    }
                } catch (IOException e) {
                    // the test is over
                }
            });
            Object answer;
            try (Loop loop = Loop.builder().noStallWatchdog().build()) {
                answer = loop.run(() -> {
                    try (HttpClient http = HttpClient.builder().http11().build()) {
                        return http.get("http://127.0.0.1:" + server.getLocalPort() + "/login").status();
                    } catch (HttpException e) {
                        return e;
                    }
                });
            }
            assertThat(answer).as("the status of the answer, or the error").isEqualTo(302);
        }
    }
}
