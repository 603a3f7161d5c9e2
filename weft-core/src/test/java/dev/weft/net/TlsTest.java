package dev.weft.net;

import static dev.weft.net.TcpStreamTest.LOOPBACK;
import static dev.weft.net.TcpStreamTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS over loopback with self-signed certificates that the JDK's keytool makes for each run. */
class TlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    private static KeyStore localhost;
    private static KeyStore otherHost;

    @BeforeAll
    static void makeCertificates() throws Exception {
        localhost = selfSigned("localhost", "SAN=dns:localhost,ip:127.0.0.1");
        otherHost = selfSigned("other", "SAN=dns:other.example");
    }

    private static KeyStore selfSigned(String name, String san) throws Exception {
        Path file = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name, "-ext", san, "-validity", "2", "-storetype",
                "PKCS12", "-keystore", file.toString(), "-storepass", new String(PASSWORD), "-keypass",
                new String(PASSWORD))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("keytool: %s", out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    private static SSLContext server(KeyStore keys) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    private static SSLContext trusting(KeyStore trusted) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
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
        SSLContext serverTls = server(localhost);
        SSLContext clientTls = trusting(localhost);
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
        SSLContext serverTls = server(localhost);
        SSLContext trustsOther = trusting(otherHost);
        SSLContext clientTls = trusting(localhost);
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
        SSLContext serverTls = server(otherHost);
        SSLContext clientTls = trusting(otherHost); // trusted, but it names other.example, not localhost
        run(() -> {
            try (TcpServer server = echo(serverTls)) {
                assertThatThrownBy(() -> TcpConnection.connectTls("localhost", server.port(), TcpOptions.defaults(),
                        clientTls)).isInstanceOf(SSLHandshakeException.class);
            }
            return null;
        });
    }
}
