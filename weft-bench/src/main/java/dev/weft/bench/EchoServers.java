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
 * The Java servers of {@code weft bench echo}, each run in its own JVM: {@code weft} (one loop per
 * core, each with a {@link TcpServer} sharing the address, as a user writes a server that needs every
 * core) and {@code raw} (a virtual thread per connection on plain JDK sockets, no loop: the floor of
 * the loops' overhead). Prints {@code ready port=N}, then echoes until killed.
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

    private static void weft() throws Exception {
        int loops = Runtime.getRuntime().availableProcessors();
        java.util.concurrent.CompletableFuture<Integer> port = new java.util.concurrent.CompletableFuture<>();
        for (int i = 0; i < loops; i++) {
            boolean first = i == 0;
            Thread.ofPlatform().start(() -> {
                try (Loop loop = Loop.builder().stallThreshold(Duration.ofSeconds(30)).build()) {
                    loop.run(() -> {
                        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                                first ? 0 : port.join()); // the others wait for the first's port: no task runs yet
                        TcpServer server = TcpServer.listenShared(address, 10_000, EchoServers::echo);
                        port.complete(server.port());
                        Weft.sleepForever();
                    });
                } catch (IOException e) {
                    port.completeExceptionally(e);
                }
            });
            port.join();
        }
        System.out.println("ready port=" + port.join());
    }

    private static void echo(dev.weft.TcpConnection c) throws IOException {
        byte[] b = new byte[65536];
        for (int n; (n = c.read(b, 0, b.length)) > 0;) {
            c.write(b, 0, n);
            c.flush();
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
