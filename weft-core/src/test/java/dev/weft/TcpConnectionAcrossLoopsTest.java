package dev.weft;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A plain connection, which waits on its loop's poller, used beyond one loop: closed from another
 * thread while a task waits on it, and used by a second loop while the first still runs. The
 * timeouts are hang guards only, never asserted thresholds.
 */
class TcpConnectionAcrossLoopsTest {
    private static final long GUARD_SECONDS = 20;

    private static Loop newLoop() {
        return Loop.builder().noStallWatchdog().build();
    }

    private static String stackOf(Thread t) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("    at ").append(e).append('\n');
        }
        return sb.toString();
    }

    /** A loopback peer whose one connection echoes what it reads, on a daemon thread. */
    private static void echoOnce(ServerSocket server) {
        Thread.ofPlatform().daemon().name("echo-peer").start(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] b = new byte[8192];
                for (int n; (n = in.read(b)) >= 0;) {
                    out.write(b, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the test is over
            }
        });
    }

    /**
     * Before the poller, closing a connection from another thread ended a task's blocked read (a
     * blocking socket); TLS connections still do. Now IoHandle.close() wakes the reader off the turn
     * (a data race on the loop's ready queue) and never wakes the driver, which stays in
     * select(FOREVER): the run hangs until the peer happens to send or close.
     */
    @Test
    void closingAPlainConnectionFromAnotherThreadEndsTheReadOfATaskWaitingOnIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<TcpConnection> waiting = new CompletableFuture<>();
            CompletableFuture<Object> result = new CompletableFuture<>();
            CompletableFuture<Thread> duties = new CompletableFuture<>();
            Thread caller = Thread.ofPlatform().daemon().name("connection-loop").start(() -> {
                try (Loop loop = newLoop()) {
                    Thread self = Thread.currentThread();
                    result.complete(loop.run(() -> {
                        duties.complete(Loops.dutiesThread(self));
                        TcpConnection c = TcpConnection.connect("127.0.0.1", server.getLocalPort());
                        Weft.spawn(() -> waiting.complete(c)); // runs once main waits in readLine
                        try {
                            return c.readLine(100).orElseThrow(); // the peer never writes
                        } catch (IOException e) {
                            return e;
                        }
                    }));
                } catch (Throwable e) {
                    result.complete(e);
                }
            });
            try (Socket _ = server.accept()) { // kept open and silent
                TcpConnection c = waiting.get(GUARD_SECONDS, SECONDS);
                Thread loopThread = duties.get(GUARD_SECONDS, SECONDS);
                awaitInSelector(loopThread);
                c.close(); // from this thread, as one would close a socket to abort a blocked read
                Object r;
                try {
                    r = result.get(GUARD_SECONDS, SECONDS);
                } catch (TimeoutException e) {
                    String stack = stackOf(loopThread);
                    caller.interrupt(); // cancels main: the run ends
                    throw new AssertionError("the read never ended after the close; the loop's thread was at:\n"
                            + stack);
                }
                assertThat(r).as("what the waiting read returned or threw").isInstanceOf(IOException.class);
            }
        }
    }

    private static void awaitInSelector(Thread t) throws InterruptedException {
        long end = System.nanoTime() + SECONDS.toNanos(GUARD_SECONDS);
        while (System.nanoTime() < end) {
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.getClassName().startsWith("sun.nio.ch.") && e.getMethodName().toLowerCase(Locale.ROOT).contains("select")) {
                    return;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the loop's thread never waited in its selector");
    }

    /**
     * IoHandle documents that a channel is registered again with another run's poller when a task of
     * that run waits on it, and that close() releases the descriptor at once. But the registration
     * with the first run's selector is never cancelled: after a task of loop B closes the connection,
     * the descriptor stays open as long as loop A runs (A's selector still holds the channel, and A's
     * driver never polls while none of its tasks waits for I/O).
     */
    @Test
    void aConnectionClosedInASecondLoopReleasesItsDescriptorWhileTheFirstLoopStillRuns() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            echoOnce(server);
            CompletableFuture<TcpConnection> handoff = new CompletableFuture<>();
            CompletableFuture<Void> release = new CompletableFuture<>();
            CompletableFuture<Object> aDone = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("connection-loop-a").start(() -> {
                try (Loop a = newLoop()) {
                    a.run(() -> {
                        TcpConnection c = TcpConnection.connect("127.0.0.1", server.getLocalPort());
                        // a reader that waits in A's selector before anything is sent: the channel is registered there
                        Task<String> reader = Weft.spawn(() -> c.readLine(100).orElseThrow());
                        while (reader.state() != Task.State.SUSPENDED) {
                            Weft.yield();
                        }
                        c.write("a\n");
                        c.flush();
                        assertThat(Weft.await(reader)).isEqualTo("a");
                        handoff.complete(c);
                        Weft.await(release); // loop A goes on running, its tasks waiting for no I/O
                    });
                    aDone.complete(null);
                } catch (Throwable e) {
                    aDone.complete(e);
                }
            });
            TcpConnection c = handoff.get(GUARD_SECONDS, SECONDS);
            String inode = socketInode(((InetSocketAddress) c.localAddress()).getPort());
            assertThat(processHoldsSocket(inode)).as("the open connection's descriptor is found").isTrue();
            boolean heldAfterClose;
            try {
                try (Loop b = newLoop()) {
                    b.run(() -> {
                        Task<String> reader = Weft.spawn(() -> c.readLine(100).orElseThrow());
                        while (reader.state() != Task.State.SUSPENDED) {
                            Weft.yield();
                        }
                        c.write("b\n");
                        c.flush();
                        assertThat(Weft.await(reader)).isEqualTo("b"); // waited in B's selector too
                        c.close();
                    });
                }
                heldAfterClose = stillHeldAfterGuard(inode);
            } finally {
                release.complete(null);
            }
            assertThat(aDone.get(GUARD_SECONDS, SECONDS)).as("how loop A's run ended").isNull();
            assertThat(processHoldsSocket(inode)).as("sanity: released once loop A's run closed its selector").isFalse();
            assertThat(heldAfterClose).as("the descriptor is still open after close() in loop B, while loop A runs")
                    .isFalse();
        }
    }

    /**
     * Whether this process still holds socket {@code inode} once the guard has run out. Loop B's close
     * releases B's registration on its own turn, but dropping loop A's old registration is handed to
     * A's thread (IoHandle.moveTo posts a flush to A's poller), so the descriptor goes soon after B's
     * run ends, not necessarily before: on a busy machine A's thread may not have had its turn yet.
     * Without the flush A never polls and the descriptor stays for the whole guard.
     */
    private static boolean stillHeldAfterGuard(String inode) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SECONDS.toNanos(GUARD_SECONDS);
        while (processHoldsSocket(inode)) {
            if (System.nanoTime() - deadline >= 0) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    /** The inode of the TCP socket bound to local {@code port}, from /proc/net/tcp (and tcp6). */
    private static String socketInode(int port) throws IOException {
        String hexPort = String.format(":%04X", port);
        for (String f : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(f))) {
                String[] cols = line.trim().split("\\s+", 0);
                if (cols.length > 9 && cols[1].endsWith(hexPort) && !cols[9].equals("0")) {
                    return cols[9];
                }
            }
        }
        throw new AssertionError("no socket on local port " + port);
    }

    /** Whether this process still has a descriptor for socket {@code inode}. */
    private static boolean processHoldsSocket(String inode) throws IOException {
        try (var dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : dir) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("socket:[" + inode + "]")) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return false;
    }
}
