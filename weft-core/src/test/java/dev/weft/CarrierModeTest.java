package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which carrier a loop runs its tasks on, and proof that the mode in force is the one asked for: with
 * a carrier of its own every task of a run is carried by the same platform thread, {@code weft-loop-N};
 * on the shared scheduler by the JDK's carrier threads. The suite runs twice (surefire): with the
 * default, the loop's own carrier, and with {@code -Dweft.carrier=shared}.
 */
class CarrierModeTest {
    /** The mode this run of the suite expects by default: its {@code weft.carrier} property, else own. */
    private static Loop.Carrier expected() {
        return "shared".equals(System.getProperty("weft.carrier")) ? Loop.Carrier.SHARED : Loop.Carrier.OWN;
    }

    /** The carrier thread's name, from a virtual thread's {@code toString} ({@code #id/runnable@carrier}). */
    private static String carrierOf(Thread t) {
        String s = t.toString();
        return s.substring(s.lastIndexOf('@') + 1);
    }

    /** The carriers that ran the tasks of one run of {@code loop}: many tasks, each yielding and sleeping. */
    private static Set<String> carriersOfARun(Loop loop) {
        Set<String> carriers = ConcurrentHashMap.newKeySet();
        loop.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                tasks.add(Weft.spawn(() -> {
                    for (int j = 0; j < 20; j++) {
                        carriers.add(carrierOf(Thread.currentThread()));
                        if (j % 5 == 0) {
                            Weft.sleep(Duration.ofMillis(1));
                        } else {
                            Weft.yield();
                        }
                    }
                }));
            }
            Tasks.awaitAll(tasks);
        });
        return carriers;
    }

    @Test
    void theDefaultModeIsTheOneThisRunOfTheSuiteExpects() {
        assertThat(Loop.Carrier.byDefault()).isEqualTo(expected());
        try (Loop loop = Loop.builder().build()) {
            assertThat(loop.carrier()).isEqualTo(expected());
        }
        assertThat(Loop.Carrier.OWN.isAvailable()).as("the suite runs with java.lang open to Weft").isTrue();
    }

    @Test
    void withACarrierOfItsOwnEveryTaskOfARunRunsOnOnePlatformThreadOfTheRun() {
        try (Loop loop = Loop.builder().carrier(Loop.Carrier.OWN).build()) {
            Set<String> first = carriersOfARun(loop);
            assertThat(first).hasSize(1).allMatch(name -> name.startsWith("weft-loop-"));
            Set<String> second = carriersOfARun(loop);
            assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first); // a carrier per run
        }
    }

    @Test
    void onTheSharedSchedulerTasksRunOnTheJdksCarriers() {
        try (Loop loop = Loop.builder().carrier(Loop.Carrier.SHARED).build()) {
            assertThat(carriersOfARun(loop)).isNotEmpty().allMatch(name -> name.startsWith("ForkJoinPool"));
        }
    }

    @Test
    void aRunStartedOnAVirtualThreadGetsAPlatformCarrierAndItsInterruptCancelsMain() throws Exception {
        for (Loop.Carrier mode : Loop.Carrier.values()) {
            var out = new Object() {
                volatile String carrier = "";
                volatile Throwable thrown = new AssertionError("not run");
                volatile boolean stillInterrupted;
            };
            var started = new java.util.concurrent.CountDownLatch(1);
            Thread caller = Thread.ofVirtual().start(() -> {
                try (Loop loop = Loop.builder().carrier(mode).build()) {
                    loop.run(() -> {
                        out.carrier = carrierOf(Thread.currentThread());
                        started.countDown();
                        Weft.sleep(Duration.ofHours(1));
                    });
                } catch (Throwable e) {
                    out.thrown = e;
                }
                out.stillInterrupted = Thread.currentThread().isInterrupted();
            });
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            caller.join(Duration.ofSeconds(30));
            assertThat(caller.isAlive()).as("the interrupt ended the run").isFalse();
            assertThat(out.thrown).as(mode.toString()).isInstanceOf(CancelledException.class)
                    .hasMessageContaining("the thread running the loop was interrupted");
            assertThat(out.stillInterrupted).as("the interrupt stays set").isTrue();
            assertThat(out.carrier).as(mode.toString())
                    .startsWith(mode == Loop.Carrier.OWN ? "weft-loop-" : "ForkJoinPool");
        }
    }

    /**
     * A virtual thread started by a task would inherit the scheduler of the task's thread (the JDK's
     * rule): it must run on the JDK's shared scheduler instead, not on the loop's carrier, and go on
     * after the run has ended.
     */
    @Test
    void aVirtualThreadStartedByATaskRunsOnTheSharedSchedulerAndOutlivesTheRun() throws Exception {
        var carriers = new java.util.concurrent.LinkedBlockingQueue<String>();
        var release = new java.util.concurrent.CountDownLatch(1);
        Thread child;
        try (Loop loop = Loop.builder().carrier(Loop.Carrier.OWN).build()) {
            child = loop.run(() -> Thread.ofVirtual().start(() -> {
                carriers.add(carrierOf(Thread.currentThread()));
                try {
                    release.await(); // parks past the run's end
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                carriers.add(carrierOf(Thread.currentThread()));
            }));
        }
        release.countDown();
        child.join(Duration.ofSeconds(30));
        assertThat(child.isAlive()).as("the child went on after the run").isFalse();
        assertThat(carriers).hasSize(2).allMatch(name -> name.startsWith("ForkJoinPool"));
    }

    /**
     * A JDK call that blocks a task's virtual thread — a sleep, a blocking socket read, a contended
     * monitor — holds the loop until it returns, in both modes: no other task runs meanwhile.
     */
    @Test
    void aJdkCallThatBlocksATasksThreadHoldsTheLoopInBothModes() throws Exception {
        Object monitor = new Object();
        for (Loop.Carrier mode : Loop.Carrier.values()) {
            for (String call : List.of("sleep", "socket", "monitor")) {
                List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
                try (Loop loop = Loop.builder().carrier(mode).noStallWatchdog().build();
                        var server = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
                    Thread helper = Thread.ofPlatform().start(() -> {
                        try (java.net.Socket peer = server.accept()) {
                            synchronized (monitor) {
                                Thread.sleep(30);
                                peer.getOutputStream().write(1); // after the sleep: the read blocks until then
                            }
                        } catch (IOException e) {
                            // the blocker closed first (it did not read): nothing to check here
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    loop.run(() -> {
                        Task<Void> ticker = Weft.spawn("ticker", () -> {
                            for (int i = 0; i < 3; i++) {
                                log.add("tick");
                                Weft.yield();
                            }
                        });
                        Task<Void> blocker = Weft.spawn("blocker", () -> {
                            try (java.net.Socket s = new java.net.Socket(server.getInetAddress(), server.getLocalPort())) {
                                log.add(call + " begins");
                                switch (call) {
                                    case "sleep" -> Thread.sleep(30);
                                    case "socket" -> s.getInputStream().read();
                                    default -> {
                                        Thread.sleep(5); // the helper holds the monitor by now, or soon
                                        synchronized (monitor) {
                                            log.add("monitor taken");
                                        }
                                    }
                                }
                                log.add(call + " ends");
                            }
                        });
                        Weft.await(ticker);
                        Weft.await(blocker);
                    });
                    helper.join();
                }
                List<String> expected = new ArrayList<>(List.of("tick", call + " begins"));
                if (call.equals("monitor")) {
                    expected.add("monitor taken");
                }
                expected.addAll(List.of(call + " ends", "tick", "tick"));
                assertThat(log).as(mode + " " + call).containsExactlyElementsOf(expected);
            }
        }
    }

    /**
     * A task that only yields, waiting for another task's blocking call (here the accept of a server),
     * must let that call return: on a carrier of its own the call's thread needs the carrier for a
     * moment, which a yield with nothing else ready must give it.
     */
    @Test
    void aTaskThatOnlyYieldsLetsABlockingCallOfAnotherTaskReturn() throws Exception {
        for (Loop.Carrier mode : Loop.Carrier.values()) {
            var done = new java.util.concurrent.CompletableFuture<Throwable>();
            Thread caller = Thread.ofPlatform().daemon().start(() -> {
                try (Loop loop = Loop.builder().carrier(mode).noStallWatchdog().build()) {
                    loop.run(() -> {
                        boolean[] served = {false};
                        try (TcpServer server = TcpServer.listen(new java.net.InetSocketAddress(
                                java.net.InetAddress.getLoopbackAddress(), 0), 10, c -> served[0] = true)) {
                            Thread client = Thread.ofPlatform().start(() -> {
                                try (var s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
                                    s.getInputStream().read(); // until the server closes it
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            });
                            while (!served[0]) {
                                Weft.yield();
                            }
                            client.join();
                        }
                    });
                    done.complete(null);
                } catch (Throwable e) {
                    done.complete(e);
                }
            });
            Throwable failed;
            try {
                failed = done.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                caller.interrupt(); // cancels main, whose next yield throws: the run ends
                throw new AssertionError(mode + ": the yielding task never let the accept return", e);
            }
            assertThat(failed).as(mode.toString()).isNull();
        }
    }

    /** The process pool's workers start with java.lang open to Weft: their loops get carriers of their own. */
    @Test
    void processPoolWorkersRunTheirLoopsOnCarriersOfTheirOwn() {
        try (dev.weft.pool.Pool pool = dev.weft.pool.Pool.processes().workers(1).build()) {
            String mode = pool.apply(() -> {
                try (Loop loop = Loop.builder().carrier(Loop.Carrier.OWN).build()) {
                    return loop.run(() -> carrierOf(Thread.currentThread()));
                }
            });
            assertThat(mode).startsWith("weft-loop-");
        }
    }

    @Test
    void aDeadlockOnACarrierOfItsOwnIsThrownToTheCaller() {
        try (Loop loop = Loop.builder().carrier(Loop.Carrier.OWN).build()) {
            assertThatThrownBy(() -> loop.run(() -> new Event().await())).isInstanceOf(DeadlockException.class)
                    .hasMessageContaining("waits for");
        }
    }

    @Test
    void aBadWeftCarrierPropertyIsAClearError() {
        String old = System.getProperty("weft.carrier");
        System.setProperty("weft.carrier", "fast");
        try {
            assertThatThrownBy(() -> Loop.builder().build()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("system property weft.carrier is 'fast': use own or shared, or leave it unset");
            assertThat(Loop.builder().carrier(Loop.Carrier.SHARED).build().carrier()).isEqualTo(Loop.Carrier.SHARED);
        } finally {
            if (old == null) {
                System.clearProperty("weft.carrier");
            } else {
                System.setProperty("weft.carrier", old);
            }
        }
    }

    /**
     * Without {@code --add-opens java.base/java.lang=ALL-UNNAMED}: loops run on the shared scheduler
     * and say so once, naming the flag; asking for the own carrier explicitly is an error that says why.
     */
    @Test
    void withoutTheFlagLoopsFallBackAndSayOnceWhatToAdd(@TempDir Path dir) throws IOException, InterruptedException {
        String out = ChildJvm.run(dir, List.of(), NoFlag.class, java.util.Map.of());
        assertThat(out).contains("modes SHARED SHARED available false")
                .contains("explicit: a loop cannot have a carrier of its own here: java.lang is not open to Weft:"
                        + " add --add-opens java.base/java.lang=ALL-UNNAMED to the java command");
        assertThat(out.split("shared virtual-thread scheduler", -1)).as(out).hasSize(2); // said once
        assertThat(out).contains("add --add-opens java.base/java.lang=ALL-UNNAMED");

        String forced = ChildJvm.run(dir, List.of("-Dweft.carrier=own"), NoFlag.class, java.util.Map.of());
        assertThat(forced).contains("default: a loop cannot have a carrier of its own here: java.lang is not open");
    }

    /** Builds loops by default twice, then asks for the own carrier explicitly, in a JVM without the flag. */
    static final class NoFlag {
        private NoFlag() {}

        public static void main(String[] args) {
            try {
                Loop a = Loop.builder().build();
                Loop b = Loop.builder().build();
                a.run(() -> Weft.yield());
                System.out.println("modes " + a.carrier() + " " + b.carrier() + " available "
                        + Loop.Carrier.OWN.isAvailable());
            } catch (IllegalStateException e) {
                System.out.println("default: " + e.getMessage());
            }
            try {
                Loop.builder().carrier(Loop.Carrier.OWN);
            } catch (IllegalStateException e) {
                System.out.println("explicit: " + e.getMessage());
            }
        }
    }
}
