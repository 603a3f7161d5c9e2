package dev.weft.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server that answers badly on purpose, one request per connection, by path:
 * {@code /ok}, {@code /endless} (a body that never ends), {@code /huge-headers}, {@code /escapes}
 * (escape sequences in the status line, a header and a Location), {@code /ftp} and {@code /to-localhost}
 * (redirects), {@code /loop} (a redirect to itself), {@code /negative} ({@code Content-Length: -5}).
 */
final class HostileServer implements AutoCloseable {
    static final String ESC = "\u001b]0;pwned\u0007\u001b[31m";

    private final ServerSocket socket;
    /** Requests received. */
    final AtomicInteger requests = new AtomicInteger();

    HostileServer() throws IOException {
        socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("hostile-server").start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    Thread.ofVirtual().start(() -> answer(s));
                } catch (IOException e) {
                    // closed
                }
            }
        });
    }

    int port() {
        return socket.getLocalPort();
    }

    /** {@code http://127.0.0.1:port} followed by {@code path}. */
    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    private void answer(Socket s) {
        try (s) {
            String path = path(s.getInputStream());
            requests.incrementAndGet();
            OutputStream out = s.getOutputStream();
            String close = "Connection: close\r\n";
            switch (path) {
                case "/endless" -> {
                    out.write(("HTTP/1.1 200 OK\r\n" + close + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 << 10];
                    for (;;) {
                        out.write(chunk);
                    }
                }
                case "/huge-headers" -> write(out, "HTTP/1.1 200 OK\r\n" + close + "X-Big: " + "b".repeat(1 << 20)
                        + "\r\nContent-Length: 0\r\n\r\n");
                case "/escapes" -> write(out, "HTTP/1.1 302 Found" + ESC + "\r\n" + close + "X-Evil: " + ESC
                        + "\r\nLocation: ftp://x/" + ESC + "\r\nContent-Length: 0\r\n\r\n");
                case "/ftp" -> write(out, "HTTP/1.1 302 Found\r\n" + close + "Location: ftp://files.example/x\r\n"
                        + "Content-Length: 0\r\n\r\n");
                case "/to-localhost" -> write(out, "HTTP/1.1 302 Found\r\n" + close + "Location: http://localhost:"
                        + port() + "/ok\r\nContent-Length: 0\r\n\r\n");
                case "/loop" -> write(out, "HTTP/1.1 302 Found\r\n" + close + "Location: /loop\r\nContent-Length: 0\r\n\r\n");
                case "/negative" -> write(out, "HTTP/1.1 200 OK\r\n" + close + "Content-Length: -5\r\n\r\nhello");
                default -> write(out, "HTTP/1.1 200 OK\r\n" + close + "Content-Length: 5\r\n\r\nhello");
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static void write(OutputStream out, String response) throws IOException {
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The path of the request's line; the rest of the head is read and dropped. */
    private static String path(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed before the end of its request");
            }
            head.append((char) b);
        }
        String line = head.substring(0, head.indexOf("\r\n"));
        String target = line.split(" ", 3)[1];
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
