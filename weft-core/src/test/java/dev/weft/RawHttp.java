package dev.weft;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Test peers that speak HTTP/1.1 by hand. */
final class RawHttp {
    private RawHttp() {}

    /** Reads a request's head, up to and including its empty line; null if the stream ends first. */
    static @Nullable String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /**
     * A hostile-capable server on loopback, on a platform thread: answers each request (one per
     * connection) with {@code answer} of its head, sent as it is (ISO-8859-1), then closes.
     */
    static final class Server implements AutoCloseable {
        private final ServerSocket socket;
        /** The heads of the requests received, in order. */
        final List<String> heads = new CopyOnWriteArrayList<>();

        Server(Function<String, String> answer) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().name("raw-http").start(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        String head = readHead(s.getInputStream());
                        if (head != null) {
                            heads.add(head);
                            OutputStream out = s.getOutputStream();
                            out.write(answer.apply(head).getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                        }
                    } catch (IOException e) {
                        // closed, or the client went away: next
                    }
                }
            });
        }

        /** {@code http://127.0.0.1:port}. */
        String base() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
