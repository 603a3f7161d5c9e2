package dev.weft;

import static dev.weft.TcpStreamTest.LOOPBACK;
import static dev.weft.TcpStreamTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** TLS over loopback with self-signed certificates that the JDK's keytool makes for each run. */
class TlsTest {
    private static TcpServer echo(SSLContext tls) throws IOException {
        return TcpServer.listenTls(LOOPBACK, 10, tls, c -> {
            for (String line; (line = c.readLine(1024)) != null;) {
                c.write("tls " + line + "\n");
                c.flush();
            }
        });
    }

    /** Connects to {@code server} over TLS with {@code tls}, sends {@code line} and returns the answer. */
    private static String roundTrip(TcpServer server, SSLContext tls, String line) throws IOException {
        try (TcpConnection c = TcpConnection.connectTls("localhost", server.port(), TcpOptions.defaults(), tls)) {
            c.write(line + "\n");
            c.flush();
            return c.readLine(1024);
        }
    }

    @Test
    void linesAreEchoedOverTls() throws Exception {
        SSLContext serverTls = Certificates.server(Certificates.localhost());
        SSLContext clientTls = Certificates.trusting(Certificates.localhost());
        String reply = run(() -> {
            try (TcpServer server = echo(serverTls)) {
                return roundTrip(server, clientTls, "hello");
            }
        });
        assertThat(reply).isEqualTo("tls hello");
    }

    @Test
    void anUntrustedCertificateFailsTheHandshakeAndTheServerGoesOn() throws Exception {
        SSLContext serverTls = Certificates.server(Certificates.localhost());
        SSLContext trustsOther = Certificates.trusting(Certificates.otherHost());
        SSLContext clientTls = Certificates.trusting(Certificates.localhost());
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
        SSLContext serverTls = Certificates.server(Certificates.otherHost());
        SSLContext clientTls = Certificates.trusting(Certificates.otherHost()); // trusted, but it names other.example, not localhost
        run(() -> {
            try (TcpServer server = echo(serverTls)) {
                assertThatThrownBy(() -> TcpConnection.connectTls("localhost", server.port(), TcpOptions.defaults(),
                        clientTls)).isInstanceOf(SSLHandshakeException.class);
            }
            return null;
        });
    }
}
