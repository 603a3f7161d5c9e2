package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Loop;
import dev.weft.Weft;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of every {@link Pool} backend: each backend's test class extends this one and says how
 * to make a pool (a cluster backend will pass the same tests).
 */
abstract class PoolContractTest {
    /** A pool of {@code workers} of this backend, with the settings of {@code b}. */
    abstract Pool make(Pool.Builder b);

    Pool pool;

    @BeforeEach
    void open() {
        pool = make(Pool.builder().workers(2));
    }

    @AfterEach
    void closeIt() {
        pool.terminate();
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void mapKeepsTheOrderOfTheItems() {
        assertThat(pool.map(x -> x * x, range(1_000))).isEqualTo(range(1_000).stream().map(x -> x * x).toList());
        assertThat(pool.map(x -> x, List.<Integer>of())).isEmpty();
    }

    @Test
    void mapWithAnyChunkSizeGivesTheSameResultsAndReportsProgress() {
        for (int chunk : new int[] {1, 7, 1_000, 5_000}) {
            List<long[]> updates = Collections.synchronizedList(new ArrayList<>());
            List<Integer> out = pool.map(x -> x + 1, range(1_000), MapOptions.defaults().withChunkSize(chunk)
                    .withProgress((done, total) -> updates.add(new long[] {done, total})));
            assertThat(out).isEqualTo(range(1_000).stream().map(x -> x + 1).toList());
            assertThat(updates).hasSize((1_000 + chunk - 1) / chunk);
            assertThat(updates.stream().mapToLong(u -> u[0]).max().orElseThrow()).isEqualTo(1_000);
            assertThat(updates).allSatisfy(u -> assertThat(u[1]).isEqualTo(1_000));
        }
    }

    @Test
    void starmapAppliesToEachPair() {
        List<Map.Entry<Integer, String>> pairs = List.of(Map.entry(1, "a"), Map.entry(2, "b"), Map.entry(3, "c"));
        assertThat(pool.starmap((Integer n, String s) -> s.repeat(n), pairs)).containsExactly("a", "bb", "ccc");
    }

    @Test
    void imapIsOrderedAndLazy() {
        AtomicLong produced = new AtomicLong();
        Iterable<Integer> endless = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return (int) produced.getAndIncrement();
            }
        };
        Iterator<Integer> it = pool.imap(x -> x * 2, endless, MapOptions.defaults().withMaxInFlight(8));
        for (int i = 0; i < 100; i++) {
            assertThat(it.next()).isEqualTo(2 * i);
        }
        assertThat(produced.get()).as("items read ahead of the consumer").isLessThanOrEqualTo(100 + 8);
    }

    @Test
    void imapUnorderedGivesEveryResultOnce() {
        List<Integer> out = new ArrayList<>();
        pool.imapUnordered(x -> x * 3, range(500), MapOptions.defaults().withChunkSize(10)).forEachRemaining(out::add);
        assertThat(out).containsExactlyInAnyOrderElementsOf(range(500).stream().map(x -> x * 3).toList());
    }

    @Test
    void submitApplyAndAsCompleted() throws Exception {
        assertThat(pool.apply(() -> "hello".toUpperCase())).isEqualTo("HELLO");
        List<CompletableFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            fs.add(pool.submit(() -> n));
        }
        Set<Integer> seen = new java.util.HashSet<>();
        for (Iterator<CompletableFuture<Integer>> it = Pool.asCompleted(fs); it.hasNext();) {
            CompletableFuture<Integer> f = it.next();
            assertThat(f).isDone();
            seen.add(f.get());
        }
        assertThat(seen).isEqualTo(Set.copyOf(range(20)));
    }

    @Test
    void aTaskFailureReachesTheCallerWithItsStackTrace() {
        assertThatThrownBy(() -> pool.apply(() -> {
            throw new IllegalArgumentException("bad input 42");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad input 42")
                .satisfies(e -> assertThat(e.getStackTrace()).anySatisfy(f ->
                        assertThat(f.getClassName()).contains("PoolContractTest")));
        assertThatThrownBy(() -> pool.apply(() -> {
            throw new java.io.IOException("checked");
        })).isInstanceOf(CompletionException.class).hasCauseInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> pool.map(x -> 10 / x, List.of(1, 2, 0, 4), MapOptions.defaults().withChunkSize(1)))
                .isInstanceOf(ArithmeticException.class);
        assertThat(pool.map(x -> x, List.of(1, 2))).containsExactly(1, 2); // the pool goes on
    }

    @Test
    void theInitializerRunsInEveryWorkerBeforeItsTasks() {
        pool.terminate();
        pool = make(Pool.builder().workers(2).initializer(() -> {
            System.setProperty("weft.test.init", "done");
            return null;
        }));
        assertThat(pool.map(x -> System.getProperty("weft.test.init"), range(50), MapOptions.defaults().withChunkSize(1)))
                .containsOnly("done");
    }

    @Test
    void closeFinishesQueuedWorkThenRefusesMore() throws Exception {
        List<CompletableFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            fs.add(pool.submit(() -> {
                Thread.sleep(2);
                return n;
            }));
        }
        pool.close();
        for (int i = 0; i < 50; i++) {
            assertThat(fs.get(i).get()).isEqualTo(i);
        }
        assertThatThrownBy(() -> pool.submit(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        pool.close(); // idempotent
    }

    @Test
    void terminateFailsWhatHadNotFinished() {
        List<CompletableFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fs.add(pool.submit(() -> {
                Thread.sleep(60_000);
                return 0;
            }));
        }
        pool.terminate();
        assertThat(fs).allSatisfy(f -> assertThatThrownBy(f::join).isInstanceOf(CancellationException.class));
    }

    @Test
    void aTaskOfALoopAwaitsPoolWorkWithoutHoldingTheLoop() throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().build()) {
            int ticks = loop.run(() -> {
                AtomicInteger count = new AtomicInteger();
                var ticker = Weft.spawn(() -> {
                    for (;;) {
                        count.incrementAndGet();
                        Weft.sleep(java.time.Duration.ofMillis(5));
                    }
                });
                int r = Weft.await(pool.submit(() -> {
                    Thread.sleep(200);
                    return 7;
                }));
                List<Integer> squares = pool.map(x -> x * x, range(10)); // from a task too
                ticker.cancel();
                assertThat(r).isEqualTo(7);
                assertThat(squares).containsExactly(0, 1, 4, 9, 16, 25, 36, 49, 64, 81);
                return count.get();
            });
            assertThat(ticks).as("the loop ran the ticker while its task waited").isGreaterThan(1);
        }
    }

    @Test
    void workRunsInParallelOnTheWorkers() {
        List<String> workers = pool.map(x -> {
            Thread.sleep(50);
            return ProcessHandle.current().pid() + "/" + Thread.currentThread().getName();
        }, range(8), MapOptions.defaults().withChunkSize(1));
        assertThat(Set.copyOf(workers)).hasSize(2);
    }

    @Test
    void closingFromACallbackOfItsOwnFutureIsAnErrorNotADeadlock() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        pool.submit(() -> {
            Thread.sleep(200); // so that the callback is added before the job ends, and runs on the pool's thread
            return 1;
        }).whenComplete((v, e) -> {
            try {
                pool.close();
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        }).handle((v, e) -> null).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(thrown.get(30, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be closed from one of its own threads");
        assertThat(pool.apply(() -> 2)).isEqualTo(2);
    }

    @Test
    void anImapWhoseInputFailsThrowsItsFailureAndDropsTheRest() {
        Iterable<Integer> failing = () -> new Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                if (n == 20) {
                    throw new IllegalStateException("the input broke");
                }
                return n++;
            }
        };
        Iterator<Integer> it = pool.imap(x -> x, failing, MapOptions.defaults().withMaxInFlight(4));
        List<Integer> got = new ArrayList<>();
        assertThatThrownBy(() -> it.forEachRemaining(got::add)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the input broke");
        assertThat(got).isEqualTo(range(got.size())); // in order up to the failure
        assertThat(pool.map(x -> x, List.of(1, 2))).containsExactly(1, 2);
    }
}
