package dev.weft.net;

import static dev.weft.net.TcpStreamTest.LOOPBACK;
import static dev.weft.net.TcpStreamTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS over loopback with self-signed certificates that the JDK's keytool makes for each run. */
class TlsTest {
    @TempDir
    static Path dir;

    private static KeyStore localhost;
    private static KeyStore otherHost;

    @BeforeAll
    static void makeCertificates() throws Exception {
        localhost = Certificates.localhost(dir);
        otherHost = Certificates.otherHost(dir);
    }

    private static TcpServer echo(SSLContext tls) throws IOException {
        return TcpServer.listenTls(LOOPBACK, 10, tls, c -> {
            for (String line; (line = c.readLine(1024)) != null;) {
                c.write("tls " + line + "\n");
                c.flush();
            }
        });
    }

    @Test
    void linesAreEchoedOverTls() throws Exception {
        SSLContext serverTls = Certificates.server(localhost);
        SSLContext clientTls = Certificates.trusting(localhost);
        String reply = run(() -> {
            try (TcpServer server = echo(serverTls);
                    TcpConnection c = TcpConnection.connectTls("localhost", server.port(), TcpOptions.defaults(),
                            clientTls)) {
                c.write("hello\n");
                c.flush();
                return c.readLine(1024);
            }
        });
        assertThat(reply).isEqualTo("tls hello");
    }

    @Test
    void anUntrustedCertificateFailsTheHandshakeAndTheServerGoesOn() throws Exception {
        SSLContext serverTls = Certificates.server(localhost);
        SSLContext trustsOther = Certificates.trusting(otherHost);
        SSLContext clientTls = Certificates.trusting(localhost);
        String after = run(() -> {
            try (TcpServer server = echo(serverTls)) {
                assertThatThrownBy(() -> TcpConnection.connectTls("localhost", server.port(), TcpOptions.defaults(),
                        trustsOther)).isInstanceOf(SSLHandshakeException.class);
                try (TcpConnection c = TcpConnection.connectTls("localhost", server.port(), TcpOptions.defaults(),
                        clientTls)) {
                    c.write("still here\n");
                    c.flush();
                    return c.readLine(1024);
                }
            }
        });
        assertThat(after).isEqualTo("tls still here");
    }

    @Test
    void aCertificateForAnotherHostFailsTheHandshake() throws Exception {
        SSLContext serverTls = Certificates.server(otherHost);
        SSLContext clientTls = Certificates.trusting(otherHost); // trusted, but it names other.example, not localhost
        run(() -> {
            try (TcpServer server = echo(serverTls)) {
                assertThatThrownBy(() -> TcpConnection.connectTls("localhost", server.port(), TcpOptions.defaults(),
                        clientTls)).isInstanceOf(SSLHandshakeException.class);
            }
            return null;
        });
    }
}
