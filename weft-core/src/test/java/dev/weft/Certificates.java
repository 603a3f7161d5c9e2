package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/** Self-signed certificates made by the JDK's keytool for a test, and TLS contexts over them. */
public final class Certificates {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private Certificates() {}

    /** A key store in {@code dir} with a self-signed EC certificate for {@code name} and {@code san}. */
    private static KeyStore selfSigned(Path dir, String name, String san) throws Exception {
        Path file = dir.resolve(name + ".p12");
        file.toFile().deleteOnExit();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name, "-ext", san, "-validity", "2", "-storetype",
                "PKCS12", "-keystore", file.toString(), "-storepass", new String(PASSWORD), "-keypass",
                new String(PASSWORD))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("keytool: %s", out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    private static @Nullable KeyStore localhost;
    private static @Nullable KeyStore otherHost;
    private static @Nullable Path dir;

    /** A certificate for {@code localhost} and 127.0.0.1, made once for the test run. */
    public static synchronized KeyStore localhost() throws Exception {
        if (localhost == null) {
            localhost = selfSigned(dir(), "localhost", "SAN=dns:localhost,ip:127.0.0.1");
        }
        return localhost;
    }

    /** A certificate for another host, other.example, made once for the test run. */
    public static synchronized KeyStore otherHost() throws Exception {
        if (otherHost == null) {
            otherHost = selfSigned(dir(), "other", "SAN=dns:other.example");
        }
        return otherHost;
    }

    private static Path dir() throws java.io.IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("weft-certificates");
            dir.toFile().deleteOnExit();
        }
        return dir;
    }

    /** A server's context presenting the certificate in {@code keys}. */
    public static SSLContext server(KeyStore keys) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    /** A client's context trusting only the certificate in {@code trusted}. */
    public static SSLContext trusting(KeyStore trusted) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }
}
