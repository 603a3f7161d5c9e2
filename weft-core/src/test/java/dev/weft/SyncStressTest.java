package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many producers and consumers, and many contenders for locks and semaphores, with random cancels,
 * timeouts, sleeps and yields on a virtual-clock loop, checking the invariants of the primitives: no
 * item lost or duplicated, no permit lost or created, FIFO among waiters, everything ends. The seed
 * is printed; rerun one with {@code -Dweft.seed=N}.
 */
class SyncStressTest {
    private static final int ROUNDS = 1_000;

    private long seed;
    private Random random;

    @BeforeEach
    void seed() {
        seed = Long.getLong("weft.seed", System.nanoTime());
        System.out.println("SyncStressTest seed=" + seed + " (rerun with -Dweft.seed=" + seed + ")");
        random = new Random(seed);
    }

    /** A queue or a channel, seen the same way by the test. */
    private interface Pipe {
        void put(int item);

        /** The next item, or null once closed and drained. */
        @Nullable Integer get();

        void close();

        /** Whether items from one producer come out in the order they went in. */
        boolean keepsOrder();
    }

    private Pipe randomPipe() {
        int capacity = 1 + random.nextInt(5);
        return switch (random.nextInt(7)) {
            case 0 -> queue(Queue.fifo(capacity), true);
            case 1 -> queue(Queue.fifo(), true);
            case 2 -> queue(Queue.lifo(capacity), false);
            case 3 -> queue(Queue.priority(capacity, Comparator.<Integer>reverseOrder()), false);
            case 4 -> channel(Channel.rendezvous());
            case 5 -> channel(Channel.buffered(capacity));
            default -> channel(Channel.unlimited());
        };
    }

    private static Pipe queue(Queue<Integer> q, boolean fifo) {
        return new Pipe() {
            @Override
            public void put(int item) {
                q.put(item);
            }

            @Override
            public @Nullable Integer get() {
                try {
                    return q.get();
                } catch (QueueShutDownException e) {
                    return null;
                }
            }

            @Override
            public void close() {
                q.shutdown();
            }

            @Override
            public boolean keepsOrder() {
                return fifo;
            }

            @Override
            public String toString() {
                return q.toString();
            }
        };
    }

    private static Pipe channel(Channel<Integer> c) {
        return new Pipe() {
            @Override
            public void put(int item) {
                c.send(item);
            }

            @Override
            public @Nullable Integer get() {
                return switch (c.receiveOrClosed()) {
                    case Received.Item<Integer> i -> i.value();
                    case Received.Done<Integer> d -> null;
                    case Received.Failed<Integer> f -> throw new AssertionError("never failed", f.cause());
                };
            }

            @Override
            public void close() {
                c.close();
            }

            @Override
            public boolean keepsOrder() {
                return true;
            }

            @Override
            public String toString() {
                return c.toString();
            }
        };
    }

    @Test
    void everyItemPutIsDeliveredExactlyOnceDespiteCancelsAndTimeouts() {
        int delivered = 0;
        for (int round = 0; round < ROUNDS; round++) {
            delivered += pipeRound("seed=" + seed + " round=" + round);
        }
        assertThat(delivered).isPositive();
    }

    private int pipeRound(String context) {
        Pipe pipe = randomPipe();
        List<Integer> put = new ArrayList<>();
        Map<Integer, List<Integer>> gotBy = new HashMap<>();
        Loops.virtual(() -> {
            List<Task<Void>> producers = new ArrayList<>();
            List<Task<Void>> consumers = new ArrayList<>();
            int nConsumers = 1 + random.nextInt(5);
            for (int c = 0; c < nConsumers; c++) {
                List<Integer> got = gotBy.computeIfAbsent(c, k -> new ArrayList<>());
                consumers.add(Weft.spawn("consumer-" + c, () -> {
                    for (;;) {
                        Integer item;
                        try {
                            @SuppressWarnings("NullAway") // null: the pipe is closed and drained
                            Integer next = maybeTimed(pipe::get);
                            item = next;
                        } catch (DeadlineExceededException e) {
                            continue;
                        }
                        if (item == null) {
                            return;
                        }
                        got.add(item); // no suspension point between the get and this record
                        pause();
                    }
                }));
            }
            int nProducers = 1 + random.nextInt(5);
            for (int p = 0; p < nProducers; p++) {
                int base = p * 1_000;
                int n = random.nextInt(50);
                producers.add(Weft.spawn("producer-" + p, () -> {
                    for (int k = 0; k < n; k++) {
                        int item = base + k;
                        try {
                            maybeTimed(() -> {
                                pipe.put(item);
                            });
                            put.add(item);
                        } catch (DeadlineExceededException e) {
                            // not put: the next one
                        }
                        pause();
                    }
                }));
            }
            Task<Void> chaos = chaos(producers, consumers.subList(1, consumers.size()));
            for (Task<Void> p : producers) {
                awaitQuietly(p);
            }
            pipe.close();
            for (Task<Void> c : consumers) {
                awaitQuietly(c);
            }
            List<Integer> rest = gotBy.computeIfAbsent(-1, k -> new ArrayList<>());
            for (Integer item = pipe.get(); item != null; item = pipe.get()) {
                rest.add(item);
            }
            chaos.cancel();
        });
        List<Integer> all = gotBy.values().stream().flatMap(List::stream).toList();
        assertThat(all).as("%s %s: no item duplicated", context, pipe).doesNotHaveDuplicates();
        assertThat(new HashSet<>(all)).as("%s %s: every item put delivered, nothing else", context, pipe)
                .isEqualTo(new HashSet<>(put));
        if (pipe.keepsOrder()) {
            for (List<Integer> got : gotBy.values()) {
                Map<Integer, Integer> last = new HashMap<>();
                for (int item : got) {
                    Integer before = last.put(item / 1_000, item);
                    assertThat(before == null || before < item).as("%s %s: per-producer order in %s", context, pipe, got)
                            .isTrue();
                }
            }
        }
        return all.size();
    }

    @Test
    void selectsOverTwoChannelsTakeEveryItemExactlyOnceDespiteCancelsAndTimeouts() {
        int delivered = 0;
        for (int round = 0; round < ROUNDS; round++) {
            delivered += selectRound("seed=" + seed + " round=" + round);
        }
        assertThat(delivered).isPositive();
    }

    private Channel<Integer> randomChannel() {
        return switch (random.nextInt(3)) {
            case 0 -> Channel.rendezvous();
            case 1 -> Channel.buffered(1 + random.nextInt(4));
            default -> Channel.unlimited();
        };
    }

    private int selectRound(String context) {
        List<Channel<Integer>> channels = List.of(randomChannel(), randomChannel());
        List<Integer> sent = new ArrayList<>();
        List<Integer> got = new ArrayList<>();
        Loops.virtual(() -> {
            List<Task<Void>> producers = new ArrayList<>();
            List<Task<Void>> consumers = new ArrayList<>();
            for (int c = 0; c < 1 + random.nextInt(4); c++) {
                consumers.add(Weft.spawn("selector-" + c, () -> {
                    for (;;) {
                        Integer item;
                        try {
                            item = maybeTimed(() -> Select.select(channels.get(0).onReceive(v -> v),
                                    channels.get(1).onReceive(v -> v),
                                    Select.onTimeout(Duration.ofMillis(random.nextInt(3)), () -> -1)));
                        } catch (DeadlineExceededException e) {
                            continue;
                        } catch (ChannelClosedException e) {
                            return; // one is closed: main drains the rest
                        }
                        if (item >= 0) {
                            got.add(item); // no suspension point between the select and this record
                        }
                        pause();
                    }
                }));
            }
            for (int p = 0; p < 1 + random.nextInt(4); p++) {
                int base = p * 1_000;
                int n = random.nextInt(40);
                producers.add(Weft.spawn("producer-" + p, () -> {
                    for (int k = 0; k < n; k++) {
                        int item = base + k;
                        Channel<Integer> to = channels.get(random.nextInt(2));
                        try {
                            maybeTimed(() -> {
                                if (random.nextBoolean()) {
                                    to.send(item);
                                    return true;
                                }
                                return Select.select(to.onSend(item, () -> true),
                                        Select.onTimeout(Duration.ofMillis(1 + random.nextInt(3)), () -> {
                                            throw new DeadlineExceededException("not sent in time");
                                        }));
                            });
                            sent.add(item);
                        } catch (DeadlineExceededException e) {
                            // not sent: the next one
                        }
                        pause();
                    }
                }));
            }
            Task<Void> chaos = chaos(producers, consumers.subList(1, consumers.size()));
            for (Task<Void> p : producers) {
                awaitQuietly(p);
            }
            for (Channel<Integer> ch : channels) {
                ch.close();
            }
            for (Task<Void> c : consumers) {
                awaitQuietly(c);
            }
            for (Channel<Integer> ch : channels) {
                for (Integer item : ch) {
                    got.add(item);
                }
            }
            chaos.cancel();
        });
        assertThat(got).as("%s: no item taken twice", context).doesNotHaveDuplicates();
        assertThat(new HashSet<>(got)).as("%s: every item sent taken, nothing else", context)
                .isEqualTo(new HashSet<>(sent));
        return got.size();
    }

    /** A lock, semaphore or capacity limiter, seen the same way by the test. */
    private record Gate(String name, int limit, java.util.function.BooleanSupplier full, Runnable acquire,
            Runnable release, java.util.function.IntSupplier free, java.util.function.IntSupplier waiting) {}

    private Gate randomGate() {
        int limit = 1 + random.nextInt(4);
        return switch (random.nextInt(3)) {
            case 0 -> {
                Lock l = new Lock();
                yield new Gate(l.toString(), 1, l::isLocked, l::acquire, l::release, () -> l.isLocked() ? 0 : 1,
                        () -> l.statistics().waiting());
            }
            case 1 -> {
                Semaphore s = random.nextBoolean() ? new Semaphore(limit) : new BoundedSemaphore(limit);
                yield new Gate(s.toString(), limit, () -> s.availablePermits() == 0, s::acquire, s::release,
                        s::availablePermits, () -> s.statistics().waiting());
            }
            default -> {
                CapacityLimiter c = new CapacityLimiter(limit);
                yield new Gate(c.toString(), limit, () -> c.availableTokens() == 0, c::acquire, c::release,
                        c::availableTokens, () -> c.statistics().waiting());
            }
        };
    }

    @Test
    void permitsAreNeverLostOrCreatedAndWaitersAreServedInOrder() {
        for (int round = 0; round < ROUNDS; round++) {
            gateRound("seed=" + seed + " round=" + round);
        }
    }

    private void gateRound(String context) {
        Gate gate = randomGate();
        List<Object> waited = new ArrayList<>(); // one ticket per wait
        List<Object> served = new ArrayList<>();
        Set<Object> gaveUp = new HashSet<>();
        int[] holding = {0, 0}; // now, most at once
        Loops.virtual(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            int n = 2 + random.nextInt(20);
            for (int t = 0; t < n; t++) {
                int rounds = 1 + random.nextInt(10);
                tasks.add(Weft.spawn(() -> {
                    for (int r = 0; r < rounds; r++) {
                        boolean waits = gate.full().getAsBoolean(); // no suspension point before acquire
                        Object me = new Object();
                        if (waits) {
                            waited.add(me);
                        }
                        try {
                            maybeTimed(() -> {
                                gate.acquire().run();
                            });
                        } catch (DeadlineExceededException e) {
                            if (waits) {
                                gaveUp.add(me);
                            }
                            continue;
                        } catch (CancelledException e) {
                            if (waits) {
                                gaveUp.add(me);
                            }
                            throw e;
                        }
                        if (waits) {
                            served.add(me);
                        }
                        holding[1] = Math.max(holding[1], ++holding[0]);
                        try {
                            pause();
                        } finally {
                            holding[0]--;
                            gate.release().run();
                        }
                        pause();
                    }
                }));
            }
            Task<Void> chaos = chaos(tasks, tasks);
            for (Task<Void> t : tasks) {
                awaitQuietly(t);
            }
            chaos.cancel();
            assertThat(gate.free().getAsInt()).as("%s %s: every permit back", context, gate.name())
                    .isEqualTo(gate.limit());
            assertThat(gate.waiting().getAsInt()).as("%s %s: nobody left waiting", context, gate.name()).isZero();
        });
        assertThat(holding[1]).as("%s %s: never more holders than permits", context, gate.name())
                .isLessThanOrEqualTo(gate.limit()); // 0 when every task was cancelled or timed out before it got in
        List<Object> expected = waited.stream().filter(w -> !gaveUp.contains(w)).toList();
        assertThat(served).as("%s %s: waiters served first come, first served", context, gate.name())
                .isEqualTo(expected);
    }

    /**
     * A task that cancels five random tasks of {@code some} or {@code others}, at random times. Pipe
     * rounds leave the first consumer out, so that producers can always finish.
     */
    private Task<Void> chaos(List<Task<Void>> some, List<Task<Void>> others) {
        return Weft.spawn("chaos", () -> {
            for (int i = 0; i < 5; i++) {
                Weft.sleep(Duration.ofMillis(random.nextInt(4)));
                List<Task<Void>> victims = random.nextBoolean() ? some : others;
                if (!victims.isEmpty()) {
                    victims.get(random.nextInt(victims.size())).cancel();
                }
            }
        });
    }

    private void maybeTimed(dev.weft.Action<RuntimeException> op) {
        maybeTimed(op.asBody());
    }

    private <T> T maybeTimed(dev.weft.Body<T, RuntimeException> op) {
        int r = random.nextInt(10);
        return r < 3 ? Weft.withTimeout(Duration.ofMillis(r), op) : op.run();
    }

    private void pause() {
        switch (random.nextInt(4)) {
            case 0 -> Weft.yield();
            case 1 -> Weft.sleep(Duration.ofMillis(random.nextInt(3)));
            default -> {
                // go on at once
            }
        }
    }

    private static void awaitQuietly(Task<?> t) {
        try {
            Weft.await(t);
        } catch (TaskCancelledException e) {
            // a task the chaos cancelled
        }
    }
}
