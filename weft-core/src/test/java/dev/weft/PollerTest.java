package dev.weft;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Plain TCP connections on the loop's readiness poller: full duplex on one connection, one reader at
 * a time, closing under a waiting reader, connections outliving their run, fairness between a busy
 * connection and other tasks, cancellation and timeouts under load, deadlock detection and
 * interrupts while the driver waits in the selector. Behaviour only: no timing is asserted; the
 * generous timeouts below are hang guards.
 */
class PollerTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** Only a hang guard: a test that passes ends long before. */
    private static final long GUARD_SECONDS = 30;

    // ---------------------------------------------------------------- helpers

    private static Loop newLoop() {
        return Loop.builder().noStallWatchdog().build();
    }

    /** {@link #run(Body)} for a body that returns nothing. */
    private static void run(Action<Exception> main) throws Exception {
        run(main.asBody());
    }

    /** Runs {@code main} on a fresh real-clock loop without watchdog, on the calling thread. */
    private static <T> T run(Body<T, Exception> main) throws Exception {
        try (Loop loop = newLoop()) {
            return loop.run(main);
        }
    }

    /** Runs {@code work} on a new platform thread; the future completes with what it returns or throws. */
    private static <T> CompletableFuture<T> onThread(String name, Callable<T> work, AtomicReference<Thread> thread) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().name(name).unstarted(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        if (thread != null) {
            thread.set(t);
        }
        t.start();
        return result;
    }

    /** Runs {@code work} on a platform thread and returns its result; a hang fails the test instead of blocking it. */
    private static <T> T guarded(Callable<T> work) throws Exception {
        AtomicReference<Thread> thread = new AtomicReference<>();
        return get(onThread("poller-test-loop", work, thread), thread.get());
    }

    private static <T> T get(CompletableFuture<T> result, Thread runner) throws Exception {
        try {
            return result.get(GUARD_SECONDS, SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception x) {
                throw x;
            }
            throw (Error) cause;
        } catch (TimeoutException e) {
            String stack = runner == null ? "" : stackOf(runner);
            if (runner != null) {
                runner.interrupt(); // cancels the run's main task: the run ends and cleans up
            }
            throw new AssertionError("hung for " + GUARD_SECONDS + " s; the loop's thread was at:\n" + stack);
        }
    }

    private static String stackOf(Thread t) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("    at ").append(e).append('\n');
        }
        return sb.toString();
    }

    /** Waits (real time) for {@code condition}, failing with {@code what} after the hang guard. */
    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + SECONDS.toNanos(GUARD_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("gave up waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private static TcpConnection connect(int port) throws IOException {
        return TcpConnection.connect("127.0.0.1", port);
    }

    /** Yields until {@code task} is suspended (waiting at a suspension point). */
    private static void awaitSuspended(Task<?> task) {
        while (task.state() != Task.State.SUSPENDED) {
            if (task.isDone()) {
                fail(task + " ended instead of waiting: " + task.outcome());
            }
            Weft.yield();
        }
    }

    /** Waits for {@code task} to end and returns how, without throwing its failure. */
    private static <T> Outcome<T> outcomeOf(Task<T> task) {
        Tasks.wait(List.of(task), WaitMode.ALL_COMPLETED);
        return task.outcome();
    }

    private static Throwable failureOf(Outcome<?> o) {
        assertThat(o).as("how the task ended").isInstanceOf(Outcome.Failure.class);
        return ((Outcome.Failure<?>) o).exception();
    }

    /** A Weft echo handler: echoes every byte until the client ends the stream. */
    private static void echo(TcpConnection c) throws IOException {
        byte[] b = new byte[16 * 1024];
        for (int n; (n = c.read(b, 0, b.length)) >= 0;) {
            c.write(b, 0, n);
            c.flush();
        }
    }

    /** {@link #echo}, ending quietly when the client resets or abandons the connection. */
    private static void echoQuietly(TcpConnection c) {
        try {
            echo(c);
        } catch (IOException e) {
            // the client went away (cancelled, timed out): nothing to report
        }
    }

    private static byte[] readToEnd(TcpConnection c, int expected) throws IOException {
        byte[] all = new byte[expected];
        int got = 0;
        byte[] b = new byte[32 * 1024];
        for (int n; (n = c.read(b, 0, b.length)) >= 0;) {
            if (got + n > all.length) {
                all = Arrays.copyOf(all, Math.max(2 * all.length, got + n));
            }
            System.arraycopy(b, 0, all, got, n);
            got += n;
        }
        return Arrays.copyOf(all, got);
    }

    /**
     * A peer that is no Weft code: a plain {@link ServerSocket} whose one connection a platform thread
     * reads until the end of the stream, echoing what it reads or not; {@link #ended} completes with
     * the number of bytes read when it reads -1.
     */
    private static final class Peer implements AutoCloseable {
        final ServerSocket server;
        final CompletableFuture<Long> ended = new CompletableFuture<>();
        /** Released once per echoed piece, after it was written to the socket. */
        final java.util.concurrent.Semaphore echoes = new java.util.concurrent.Semaphore(0);
        private volatile @Nullable Socket accepted;
        private final Thread thread;

        static Peer echo() throws IOException {
            return new Peer(true);
        }

        static Peer readingToEnd() throws IOException {
            return new Peer(false);
        }

        private Peer(boolean echo) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = Thread.ofPlatform().daemon().name("peer").start(() -> {
                try (Socket s = server.accept()) {
                    accepted = s;
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    long total = 0;
                    byte[] b = new byte[8192];
                    for (int n; (n = in.read(b)) >= 0;) {
                        total += n;
                        if (echo) {
                            out.write(b, 0, n);
                            out.flush();
                            echoes.release();
                        }
                    }
                    ended.complete(total);
                } catch (Throwable e) {
                    ended.completeExceptionally(e);
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            Socket s = accepted;
            if (s != null) {
                s.close();
            }
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- 1. full duplex

    @Test
    void oneTaskWritesALargePayloadWhileAnotherReadsItsEchoOnTheSameConnection() throws Exception {
        byte[] payload = new byte[8 << 20];
        new Random(20261125).nextBytes(payload);
        int chunk = 64 * 1024;
        byte[] echoed = guarded(() -> run(() -> {
            try (TcpServer server = TcpServer.listen(LOOPBACK, 10, PollerTest::echo);
                    // small client buffers: the writer surely has to wait for the network to take its bytes
                    TcpConnection c = TcpConnection.connect("127.0.0.1", server.port(),
                            TcpOptions.builder().bufferSizes(32 * 1024, 32 * 1024).build())) {
                Task<byte[]> reader = Weft.spawn("reader", () -> readToEnd(c, payload.length));
                Task<Void> writer = Weft.spawn("writer", () -> {
                    for (int off = 0; off < payload.length; off += chunk) {
                        c.write(payload, off, Math.min(chunk, payload.length - off));
                        c.flush();
                    }
                    c.shutdownOutput(); // the echo handler then returns, and the reader sees the end
                });
                Weft.await(writer);
                return Weft.await(reader);
            }
        }));
        assertThat(echoed.length).as("bytes echoed back").isEqualTo(payload.length);
        assertThat(Arrays.mismatch(echoed, payload)).as("index of the first byte that differs").isEqualTo(-1);
    }

    // ---------------------------------------------------------------- 2. one reader at a time

    @Test
    void aSecondTaskReadingWhileAnotherWaitsToReadGetsIllegalStateAndTheFirstStillGetsItsData() throws Exception {
        String reply = guarded(() -> run(() -> {
            try (TcpServer server = TcpServer.listen(LOOPBACK, 10, c -> {
                String request = c.readLine(100).orElseThrow();
                c.write("reply to " + request + "\n");
                c.flush();
                c.readLine(100); // until the client closes
            }); TcpConnection c = connect(server.port())) {
                Task<String> first = Weft.spawn("first reader", () -> c.readLine(100).orElseThrow());
                awaitSuspended(first); // waits to read: the server says nothing before it is asked
                Task<Integer> second = Weft.spawn("second reader", () -> c.read(new byte[10], 0, 10));
                Throwable e = failureOf(outcomeOf(second));
                assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("one task at a time may read");
                assertThat(first.isDone())
                        .as(() -> "the first reader must still wait for its data, but it ended: " + first.outcome())
                        .isFalse();
                assertThat(c.isClosed()).as("the second reader's misuse must not close the first reader's connection")
                        .isFalse();
                c.write("ping\n");
                c.flush();
                return Weft.await(first);
            }
        }));
        assertThat(reply).isEqualTo("reply to ping");
    }

    // ---------------------------------------------------------------- 3. closing under a waiting reader

    @Test
    void closingAConnectionWhileAnotherTaskWaitsToReadFailsThatReadAndThePeerSeesTheEndAtOnce() throws Exception {
        try (Peer peer = Peer.readingToEnd()) {
            CompletableFuture<Void> release = new CompletableFuture<>();
            AtomicReference<Thread> loopThread = new AtomicReference<>();
            CompletableFuture<Outcome<String>> run = onThread("poller-test-loop", () -> run(() -> {
                TcpConnection c = connect(peer.port());
                Task<String> reader = Weft.spawn("reader", () -> c.readLine(100).orElseThrow());
                awaitSuspended(reader);
                Task<Void> closer = Weft.spawn("closer", c::close);
                Weft.await(closer);
                Outcome<String> how = outcomeOf(reader);
                // nothing else happens on the loop now: the peer must see the end without any more polls
                Weft.await(release);
                return how;
            }), loopThread);

            // the run is still going, idle, while the peer reads the end of the stream
            assertThat(peer.ended.get(GUARD_SECONDS, SECONDS)).as("bytes the peer read before the end").isZero();
            if (run.isDone()) {
                get(run, loopThread.get()); // throws what ended the run early
            }
            assertThat(run.isDone()).as("the run is still going, its loop idle, when the peer sees the end").isFalse();
            release.complete(null);
            Outcome<String> how = get(run, loopThread.get());
            assertThat(failureOf(how)).as("the waiting reader ends with an I/O error, not a cancellation")
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(CancelledException.class);
        }
    }

    // ---------------------------------------------------------------- 4. a connection outlives its run

    @Test
    void aConnectionOpenedInOneRunWorksInLaterRunsAndClosesAfterThem() throws Exception {
        try (Peer peer = Peer.echo()) {
            guarded(() -> {
                TcpConnection c;
                try (Loop loop = newLoop()) {
                    c = loop.run(() -> {
                        TcpConnection conn = connect(peer.port());
                        conn.write("one\n");
                        conn.flush();
                        assertThat(conn.readLine(100)).contains("one");
                        return conn;
                    });
                    // a second run of the same loop
                    assertThat(loop.run(() -> {
                        c.write("two\n");
                        c.flush();
                        return c.readLine(100).orElseThrow();
                    })).isEqualTo("two");
                }
                // a run of another loop
                try (Loop other = newLoop()) {
                    assertThat(other.run(() -> {
                        c.write("three\n");
                        c.flush();
                        return c.readLine(100).orElseThrow();
                    })).isEqualTo("three");
                }
                assertThat(c.isClosed()).isFalse();
                c.close(); // outside any run
                assertThat(c.isClosed()).isTrue();
                return null;
            });
            assertThat(peer.ended.get(GUARD_SECONDS, SECONDS)).as("bytes the peer read before the end")
                    .isEqualTo("one\ntwo\nthree\n".length());
        }
    }

    // ---------------------------------------------------------------- 5. fairness

    @Test
    void aReaderWhosePeerAnswersAtOnceDoesNotStarveATaskThatYields() throws Exception {
        int limit = 1_000_000; // round trips the reader would do if nothing stopped it
        int yieldsWanted = 100;
        int[] counts = guarded(() -> run(() -> {
            int[] rounds = {0};
            int[] yields = {0};
            boolean[] yielderDone = {false};
            Event readerGoing = new Event();
            try (TcpServer server = TcpServer.listen(LOOPBACK, 10, PollerTest::echoQuietly);
                    TcpConnection c = connect(server.port())) {
                Task<Void> reader = Weft.spawn("reader", () -> {
                    byte[] msg = new byte[16];
                    for (int i = 0; i < limit && !yielderDone[0]; i++) {
                        msg[0] = (byte) i;
                        c.write(msg);
                        c.flush();
                        assertThat(c.readExactly(msg.length)).isEqualTo(msg);
                        rounds[0]++;
                        if (rounds[0] == 10) {
                            readerGoing.set();
                        }
                    }
                });
                Task<Void> yielder = Weft.spawn("yielder", () -> {
                    readerGoing.await(); // the reader is in its loop
                    while (yields[0] < yieldsWanted) {
                        yields[0]++;
                        Weft.yield();
                    }
                    yielderDone[0] = true;
                });
                Weft.await(yielder);
                Weft.await(reader);
                return new int[] {rounds[0], yields[0]};
            }
        }));
        assertThat(counts[1]).as("yields counted").isEqualTo(yieldsWanted);
        assertThat(counts[0]).as("round trips of the reader: it was stopped by the yielder, not by its limit")
                .isGreaterThanOrEqualTo(10)
                .isLessThan(limit);
    }

    /**
     * A task that yields in a loop until a reader has its data (asyncio: {@code await sleep(0)} in a
     * loop, which runs a loop iteration and so polls the selector) must let the reader run once its
     * data has arrived. Deterministic: the data is in the socket before the first yield.
     */
    @Test
    void aTaskYieldingInALoopLetsAReaderWhoseDataHasArrivedRun() throws Exception {
        long maxYields = 1_000_000; // a yield that polls finds the reader ready at once
        try (Peer peer = Peer.echo()) {
            Object[] got = guarded(() -> run(() -> {
                try (TcpConnection c = connect(peer.port())) {
                    Task<String> reader = Weft.spawn("reader", () -> c.readLine(100).orElseThrow());
                    awaitSuspended(reader); // waits for the channel to be readable
                    c.write("hello\n");
                    c.flush();
                    // holding the turn (a blocking wait, on purpose): the echo is in the socket after this
                    assertThat(peer.echoes.tryAcquire(GUARD_SECONDS, SECONDS)).as("the peer echoed").isTrue();
                    long yields = 0;
                    while (!reader.isDone() && yields < maxYields) {
                        yields++;
                        Weft.yield();
                    }
                    String line = reader.isDone() ? Weft.await(reader) : null;
                    reader.cancel("the test is over");
                    outcomeOf(reader);
                    return new Object[] {line, yields};
                }
            }));
            assertThat(got[0]).as("what the reader read while the other task yielded " + got[1] + " times")
                    .isEqualTo("hello");
        }
    }

    // ---------------------------------------------------------------- 6. stress

    private enum Kind {
        /** Every round trip, then closes. */
        PLAIN,
        /** Cancelled by another task once it has done {@code cancelAfter} of its round trips. */
        CANCELLED,
        /** Its round trips, then a read of a byte the server never sends under a short timeout. */
        TIMEOUT_STALLED,
        /** Its round trips under a short timeout that may or may not expire. */
        TIMEOUT_RACING
    }

    private record Plan(int id, Kind kind, int rounds, int cancelAfter, int timeoutMillis, long seed) {
        byte[] message(Random rnd) {
            int size = 1 + (rnd.nextInt(3) == 0 ? rnd.nextInt(64) : rnd.nextInt(64 * 1024));
            byte[] b = new byte[size];
            rnd.nextBytes(b);
            return b;
        }
    }

    private static final class Client {
        final Plan plan;
        int done;
        @Nullable TcpConnection connection;
        final Event reached = new Event();
        @Nullable Task<Void> task;
        @Nullable Outcome<Void> outcome;

        Client(Plan plan) {
            this.plan = plan;
        }
    }

    @Test
    void manyClientsWithRandomConversationsCancellationsAndTimeoutsOnOneLoop() throws Exception {
        String property = System.getProperty("weft.seed");
        long seed = property != null && !property.isBlank() ? Long.parseLong(property.strip()) : new SecureRandom().nextLong();
        System.out.println("seed=" + seed);
        Random rnd = new Random(seed);
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int roll = rnd.nextInt(100);
            Kind kind = roll < 55 ? Kind.PLAIN : roll < 75 ? Kind.CANCELLED : roll < 87 ? Kind.TIMEOUT_STALLED
                    : Kind.TIMEOUT_RACING;
            int rounds = 2 + rnd.nextInt(24);
            int timeoutMillis = 1 + rnd.nextInt(kind == Kind.TIMEOUT_RACING ? 300 : 30);
            plans.add(new Plan(i, kind, rounds, 1 + rnd.nextInt(rounds - 1), timeoutMillis, rnd.nextLong()));
        }
        List<String> problems = new ArrayList<>();
        List<Client> clients = guarded(() -> run(() -> {
            List<Client> all = new ArrayList<>();
            TcpServer server = TcpServer.listen(LOOPBACK, 100, PollerTest::echoQuietly);
            try {
                for (Plan p : plans) {
                    Client cl = new Client(p);
                    all.add(cl);
                    cl.task = Weft.spawn("client " + p.id() + " " + p.kind(), () -> {
                        if (p.kind() == Kind.TIMEOUT_RACING) {
                            Weft.withTimeout(Duration.ofMillis(p.timeoutMillis()), () -> converse(cl, server.port(), problems));
                        } else {
                            converse(cl, server.port(), problems);
                        }
                    });
                }
                List<Task<Void>> cancellers = new ArrayList<>();
                for (Client cl : all) {
                    if (cl.plan.kind() == Kind.CANCELLED) {
                        cancellers.add(Weft.spawn("canceller of " + cl.plan.id(), () -> {
                            cl.reached.await();
                            Objects.requireNonNull(cl.task).cancel("cancelled by the stress test");
                        }));
                    }
                }
                Tasks.wait(all.stream().map(cl -> cl.task).toList(), WaitMode.ALL_COMPLETED);
                for (Client cl : all) {
                    cl.outcome = Objects.requireNonNull(cl.task).outcome(); // observed: checked below
                }
                for (Client cl : all) {
                    cl.reached.set(); // a client that never got there (a failure, reported below) frees its canceller
                }
                Tasks.wait(cancellers, WaitMode.ALL_COMPLETED);
                for (int i = 0; i < 10_000 && server.connections() > 0; i++) {
                    Weft.sleep(Duration.ofMillis(1)); // the handlers see their clients' ends
                }
                assertThat(server.connections()).as("server connections once every client has ended").isZero();
                return all;
            } finally {
                server.close();
            }
        }));

        for (Client cl : clients) {
            Plan p = cl.plan;
            String who = "client " + p + " (seed=" + seed + ")";
            Outcome<Void> how = cl.outcome;
            if (cl.connection != null && !cl.connection.isClosed()) {
                problems.add(who + ": its connection is still open");
            }
            switch (p.kind()) {
                case PLAIN -> {
                    if (!(how instanceof Outcome.Success) || cl.done != p.rounds()) {
                        problems.add(who + ": ended " + how + " after " + cl.done + " round trips");
                    }
                }
                case CANCELLED -> {
                    if (!(how instanceof Outcome.Cancelled<Void> c) || !String.valueOf(c.exception().getMessage()).contains("stress test")
                            || cl.done < p.cancelAfter() || cl.done >= p.rounds() || cl.connection == null) {
                        problems.add(who + ": ended " + how + " after " + cl.done + " round trips");
                    }
                }
                case TIMEOUT_STALLED -> {
                    if (!(how instanceof Outcome.Failure<Void> f && f.exception() instanceof DeadlineExceededException)
                            || cl.done != p.rounds()) {
                        problems.add(who + ": ended " + how + " after " + cl.done + " round trips");
                    }
                }
                case TIMEOUT_RACING -> {
                    boolean finished = how instanceof Outcome.Success && cl.done == p.rounds();
                    boolean timedOut = how instanceof Outcome.Failure<Void> f
                            && f.exception() instanceof DeadlineExceededException;
                    if (!finished && !timedOut) {
                        problems.add(who + ": ended " + how + " after " + cl.done + " round trips");
                    }
                }
            }
        }
        assertThat(problems).as("seed=" + seed).isEmpty();
        System.out.println("seed=" + seed + ": " + clients.stream().collect(java.util.stream.Collectors.groupingBy(
                cl -> cl.plan.kind() + "/" + Objects.requireNonNull(cl.outcome).getClass().getSimpleName(),
                java.util.TreeMap::new, java.util.stream.Collectors.counting())));
    }

    /** The conversation of one stress client: its round trips, each checked, then what its kind adds. */
    private static void converse(Client cl, int port, List<String> problems) throws IOException {
        Plan p = cl.plan;
        Random rnd = new Random(p.seed());
        try (TcpConnection c = connect(port)) {
            cl.connection = c;
            for (int r = 0; r < p.rounds(); r++) {
                byte[] msg = p.message(rnd);
                if (msg.length > 1 && rnd.nextInt(4) == 0) { // in two flushes, a checkpoint between
                    int half = msg.length / 2;
                    c.write(msg, 0, half);
                    c.flush();
                    Weft.yield();
                    c.write(msg, half, msg.length - half);
                } else {
                    c.write(msg);
                }
                c.flush();
                byte[] back = c.readExactly(msg.length);
                if (!Arrays.equals(back, msg)) {
                    problems.add("client " + p + " round " + r + ": the echo of " + msg.length
                            + " bytes differs at index " + Arrays.mismatch(back, msg));
                }
                cl.done++;
                if (cl.done == p.cancelAfter() && p.kind() == Kind.CANCELLED) {
                    cl.reached.set();
                }
            }
            if (p.kind() == Kind.TIMEOUT_STALLED) {
                Weft.withTimeout(Duration.ofMillis(p.timeoutMillis()), () -> {
                    c.write("x");
                    c.flush();
                    return c.readExactly(2); // the echo has one byte: waits until the deadline
                });
            }
        }
    }

    // ---------------------------------------------------------------- 7. deadlock detection

    @Test
    void aRunWhoseOnlyConnectionWasClosedStillReportsADeadlock() throws Exception {
        try (Peer peer = Peer.echo()) {
            assertThat(deadlockOf(() -> {
                try (TcpConnection c = connect(peer.port())) {
                    c.write("hello\n");
                    c.flush();
                    assertThat(c.readLine(100)).contains("hello");
                }
                Event never = new Event();
                Task<Void> waiter = Weft.spawn("waiter", never::await);
                Weft.await(waiter);
            })).hasMessageContaining("task 'waiter' waits for Event@")
                    .hasMessageContaining("task 'main' waits for task 'waiter'");
        }
    }

    @Test
    void anOpenConnectionThatNoTaskWaitsOnDoesNotHideADeadlock() throws Exception {
        try (Peer peer = Peer.echo()) {
            assertThat(deadlockOf(() -> {
                TcpConnection c = connect(peer.port());
                c.write("hello\n");
                c.flush();
                assertThat(c.readLine(100)).contains("hello"); // read once: the channel stays registered
                try {
                    new Event().await();
                } finally {
                    c.close();
                }
            })).hasMessageContaining("task 'main' waits for Event@");
        }
    }

    /** The DeadlockException that a run of {@code main} ends with (a failure if it ends otherwise). */
    private static DeadlockException deadlockOf(Action<Exception> main) throws Exception {
        return guarded(() -> {
            try {
                run(main);
            } catch (DeadlockException e) {
                return e;
            }
            throw new AssertionError("the run ended without a DeadlockException");
        });
    }

    // ---------------------------------------------------------------- 8. interrupts while the driver waits in the selector

    @Test
    void interruptingTheThreadRunningTheLoopWhileEveryTaskWaitsToReadCancelsMainAndKeepsTheInterrupt()
            throws Exception {
        try (Peer peer = Peer.readingToEnd()) {
            CompletableFuture<Void> inRead = new CompletableFuture<>();
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
            AtomicReference<TcpConnection> connection = new AtomicReference<>();
            CompletableFuture<Thread> duties = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().daemon().name("poller-test-loop").start(() -> {
                try (Loop loop = newLoop()) {
                    Thread self = Thread.currentThread();
                    loop.run(() -> {
                        duties.complete(Loops.dutiesThread(self));
                        TcpConnection c = connect(peer.port());
                        connection.set(c);
                        inRead.complete(null);
                        return c.readLine(100).orElseThrow(); // the peer never writes
                    });
                    thrown.complete(null);
                } catch (Throwable e) {
                    thrown.complete(e);
                }
                stillInterrupted.complete(Thread.currentThread().isInterrupted());
            });
            inRead.get(GUARD_SECONDS, SECONDS);
            Thread loopThread = duties.get(GUARD_SECONDS, SECONDS);
            awaitCondition("the loop's thread waits in its selector", () -> waitsInSelector(loopThread));
            t.interrupt();
            assertThat(thrown.get(GUARD_SECONDS, SECONDS)).isInstanceOf(CancelledException.class)
                    .hasMessageContaining("the thread running the loop was interrupted");
            assertThat(stillInterrupted.get(GUARD_SECONDS, SECONDS)).as("the interrupt is still set after the run")
                    .isTrue();
            assertThat(connection.get().isClosed()).as("the cancelled read closed the connection").isTrue();
            assertThat(peer.ended.get(GUARD_SECONDS, SECONDS)).as("bytes the peer read before the end").isZero();
            t.join(10_000);
        }
    }

    /** Whether {@code t} is in a {@link java.nio.channels.Selector}'s select. */
    private static boolean waitsInSelector(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("sun.nio.ch.") && e.getMethodName().toLowerCase(Locale.ROOT).contains("select")) {
                return true;
            }
        }
        return false;
    }
}
