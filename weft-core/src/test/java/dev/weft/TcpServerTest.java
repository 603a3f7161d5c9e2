package dev.weft;

import static dev.weft.TcpStreamTest.run;
import static dev.weft.TcpStreamTest.LOOPBACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpServerTest {

    @Test
    void noMoreThanMaxConnectionsHandlersRunAtOnce() throws Exception {
        List<Integer> seen = new ArrayList<>();
        run(() -> {
            Event release = new Event();
            int[] running = {0};
            try (TcpServer server = TcpServer.listen(LOOPBACK, 2, c -> {
                running[0]++;
                seen.add(running[0]);
                try {
                    c.write("hello\n");
                    c.flush();
                    release.await();
                } finally {
                    running[0]--;
                }
            })) {
                List<TcpConnection> clients = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    clients.add(TcpConnection.connect("127.0.0.1", server.port())); // the third waits in the backlog
                }
                assertThat(clients.get(0).readLine(100)).isEqualTo("hello");
                assertThat(clients.get(1).readLine(100)).isEqualTo("hello");
                assertThat(server.connections()).isEqualTo(2);
                release.set();
                assertThat(clients.get(2).readLine(100)).isEqualTo("hello"); // served once a slot freed
                for (TcpConnection c : clients) {
                    c.close();
                }
            }
            return null;
        });
        assertThat(seen).hasSize(3).allMatch(n -> n <= 2);
    }

    @Test
    void aGracefulCloseLetsHandlersFinishAndCancelsTheRestAfterTheGracePeriod() throws Exception {
        List<String> log = new ArrayList<>();
        run(() -> {
            Event never = new Event();
            TcpServer server = TcpServer.listen(LOOPBACK, 10, c -> {
                String what = c.readLine(100);
                try {
                    if (what.equals("slow")) {
                        never.await();
                    } else {
                        Weft.sleep(Duration.ofMillis(10));
                    }
                    log.add(what + " finished");
                } catch (dev.weft.CancelledException e) {
                    log.add(what + " cancelled");
                    throw e;
                }
            });
            try (TcpConnection quick = TcpConnection.connect("127.0.0.1", server.port());
                    TcpConnection slow = TcpConnection.connect("127.0.0.1", server.port())) {
                quick.write("quick\n");
                quick.flush();
                slow.write("slow\n");
                slow.flush();
                while (server.connections() < 2) {
                    Weft.sleep(Duration.ofMillis(1));
                }
                server.close(Duration.ofMillis(200));
                assertThat(server.connections()).isZero();
                assertThat(slow.readLine(100)).isNull(); // the server closed its side
            }
            return null;
        });
        assertThat(log).containsExactlyInAnyOrder("quick finished", "slow cancelled");
    }

    @Test
    void aFailingHandlerDoesNotStopTheServer() throws Exception {
        String second = run(() -> {
            int[] n = {0};
            try (TcpServer server = TcpServer.listen(LOOPBACK, 10, c -> {
                if (n[0]++ == 0) {
                    throw new IllegalStateException("the first handler fails");
                }
                c.write("served\n");
            })) {
                try (TcpConnection first = TcpConnection.connect("127.0.0.1", server.port())) {
                    assertThat(first.readLine(100)).isNull(); // closed by the server after the failure
                }
                try (TcpConnection c = TcpConnection.connect("127.0.0.1", server.port())) {
                    return c.readLine(100);
                }
            }
        });
        assertThat(second).isEqualTo("served");
    }
}
