package dev.weft;

import static dev.weft.Loops.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The HTTP client over HTTP/2 (TLS with ALPN "h2") against a minimal HTTP/2 server written here: the
 * JDK has no HTTP/2 server, and the frames needed to answer a GET are few.
 */
class Http2Test {
    @Test
    void manyGetsShareOneHttp2Connection() throws Exception {
        try (H2Server server = new H2Server("over h2")) {
            HttpClient.Builder client = HttpClient.builder().tls(Certificates.trusting(Certificates.localhost()));
            List<String> bodies = run(() -> {
                try (HttpClient http = client.build()) {
                    // the first request finds out that the server speaks HTTP/2 (the JDK opens a connection for
                    // each request made before it knows)
                    assertThat(http.get("https://localhost:" + server.port() + "/first").text()).isEqualTo("over h2");
                    List<Task<String>> calls = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        String url = "https://localhost:" + server.port() + "/item/" + i;
                        calls.add(Weft.spawn(() -> {
                            HttpResponse r = http.get(url);
                            assertThat(r.status()).isEqualTo(200);
                            return r.text();
                        }));
                    }
                    return Tasks.awaitAll(calls);
                }
            });
            assertThat(bodies).hasSize(20).containsOnly("over h2");
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(server.streams.get()).isEqualTo(21);
        }
    }

    /** Answers every request on its connections with 200 and {@code body}, over HTTP/2 only. */
    private static final class H2Server implements AutoCloseable {
        private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        private static final int DATA = 0;
        private static final int HEADERS = 1;
        private static final int SETTINGS = 4;
        private static final int GOAWAY = 7;
        private static final int END_STREAM = 0x1;
        private static final int ACK = 0x1;
        private static final int END_HEADERS = 0x4;

        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger streams = new AtomicInteger();
        private final SSLServerSocket socket;
        private final byte[] body;
        private final Thread acceptor;

        H2Server(String body) throws Exception {
            this.body = body.getBytes(StandardCharsets.UTF_8);
            socket = (SSLServerSocket) Certificates.server(Certificates.localhost()).getServerSocketFactory()
                    .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofPlatform().daemon().start(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            try {
                for (;;) {
                    SSLSocket s = (SSLSocket) socket.accept();
                    s.setHandshakeApplicationProtocolSelector((sock, offered) -> offered.contains("h2") ? "h2" : null);
                    Thread.ofPlatform().daemon().start(() -> serve(s));
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void serve(SSLSocket s) {
            try (s) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] preface = new byte[PREFACE.length];
                in.readFully(preface);
                if (!java.util.Arrays.equals(preface, PREFACE) || !"h2".equals(s.getApplicationProtocol())) {
                    return; // not HTTP/2: counted as no connection, so the test fails
                }
                connections.incrementAndGet();
                OutputStream out = s.getOutputStream();
                frame(out, SETTINGS, 0, 0, new byte[0]);
                for (;;) {
                    int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                    int type = in.readUnsignedByte();
                    int flags = in.readUnsignedByte();
                    int stream = in.readInt() & 0x7fff_ffff;
                    in.readFully(new byte[length]); // request headers need no decoding: every answer is the same
                    if (type == SETTINGS && (flags & ACK) == 0) {
                        frame(out, SETTINGS, ACK, 0, new byte[0]);
                    } else if (type == HEADERS) {
                        streams.incrementAndGet();
                        frame(out, HEADERS, END_HEADERS, stream, new byte[] {(byte) 0x88}); // :status 200 (HPACK static 8)
                        frame(out, DATA, END_STREAM, stream, body);
                    } else if (type == GOAWAY) {
                        return;
                    }
                }
            } catch (EOFException e) {
                // the client closed the connection
            } catch (IOException e) {
                // the client went away
            }
        }

        private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
            byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                    (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
                    (byte) stream};
            synchronized (out) {
                out.write(head);
                out.write(payload);
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            try {
                acceptor.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
