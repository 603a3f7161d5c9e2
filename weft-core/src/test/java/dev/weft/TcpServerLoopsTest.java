package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One loop per core: servers of several loops, each on a thread of its own, listen on one address
 * ({@link TcpServer#listenShared}) and the kernel spreads the connections among them.
 */
class TcpServerLoopsTest {
    private static final int LOOPS = 2;
    private static final int CLIENTS = 40;

    @Test
    void serversOfSeveralLoopsShareOneAddressAndEachServesItsShareOfTheConnections() throws Exception {
        List<Thread> threads = new ArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        for (int i = 0; i < LOOPS; i++) {
            int index = i;
            CompletableFuture<Loop> ready = new CompletableFuture<>();
            threads.add(Thread.ofPlatform().name("server-loop-" + i).start(() -> {
                try (Loop loop = Loop.builder().build()) {
                    loop.run(() -> {
                        // the first loop takes a free port, the others share it
                        int p = index == 0 ? 0 : port.join();
                        try (TcpServer server = TcpServer.listenShared(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 100,
                                c -> c.write("loop " + index + " " + Thread.currentThread() + "\n"))) {
                            port.complete(server.port());
                            ready.complete(loop);
                            new Event().await(); // until cancelled
                        }
                    });
                } catch (CancelledException e) {
                    // the test ends the run
                } catch (java.io.IOException e) {
                    ready.completeExceptionally(e);
                }
            }));
            ready.get(30, TimeUnit.SECONDS);
        }
        Map<String, Integer> byLoop = new HashMap<>();
        for (int i = 0; i < CLIENTS; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port.join())) {
                s.setSoTimeout(30_000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertThat(line).startsWith("loop ");
                byLoop.merge(line.substring(0, line.indexOf(' ', "loop ".length())), 1, Integer::sum);
            }
        }
        for (Thread t : threads) {
            t.interrupt(); // cancels each loop's main: its server closes
            t.join(Duration.ofSeconds(30));
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(byLoop.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CLIENTS);
        assertThat(byLoop).as("each loop served some of %d connections", CLIENTS).hasSize(LOOPS);
    }

    @Test
    void aPortTakenWithoutSharingIsABindErrorNamingTheAddress() throws Exception {
        try (var taken = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());
            Weft.run(() -> {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> TcpServer.listenShared(address, 10, c -> {}))
                        .isInstanceOf(java.net.BindException.class).hasMessageContaining(address.toString());
            });
        }
    }
}
