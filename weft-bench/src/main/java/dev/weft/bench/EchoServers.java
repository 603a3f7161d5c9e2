package dev.weft.bench;

import dev.weft.Loop;
import dev.weft.Weft;
import dev.weft.TcpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * The Java servers of {@code weft bench echo}, each run in its own JVM: {@code weft} (a loop with a
 * {@link TcpServer}, written as a user would) and {@code raw} (a virtual thread per connection on
 * plain JDK sockets, no loop: the floor of the loop's overhead). Prints {@code ready port=N}, then
 * echoes until killed.
 */
public final class EchoServers {
    private EchoServers() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "weft" -> weft();
            case "raw" -> raw();
            default -> throw new IllegalArgumentException("unknown echo server " + args[0] + "; known: weft, raw");
        }
    }

    private static void weft() throws IOException {
        try (Loop loop = Loop.builder().stallThreshold(Duration.ofSeconds(30)).build()) {
            loop.run(() -> {
                TcpServer server = TcpServer.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10_000, c -> {
                    byte[] b = new byte[65536];
                    for (int n; (n = c.read(b, 0, b.length)) > 0;) {
                        c.write(b, 0, n);
                        c.flush();
                    }
                });
                System.out.println("ready port=" + server.port());
                Weft.sleepForever();
            });
        }
    }

    private static void raw() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress())) {
            System.out.println("ready port=" + server.getLocalPort());
            for (;;) {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> echo(s));
            }
        }
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] b = new byte[65536];
            for (int n; (n = in.read(b)) > 0;) {
                out.write(b, 0, n);
            }
        } catch (IOException e) {
            // the load generator closed the connection
        }
    }
}
