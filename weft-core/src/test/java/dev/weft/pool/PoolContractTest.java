package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Loop;
import dev.weft.TaskCancelledException;
import dev.weft.Weft;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of every {@link Pool} backend: each backend's test class extends this one and says how
 * to make a pool (a cluster backend will pass the same tests). Waits are signals ({@link Gate},
 * {@link Rendezvous}); a test that hangs fails by its time limit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class PoolContractTest {
    /** The settings of a pool of this backend. */
    abstract Pool.Builder<?> builder();

    @SuppressWarnings("NullAway.Init") // made before each test
    Pool pool;

    @BeforeEach
    void open() {
        pool = builder().workers(2).build();
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
            List<Integer> out = pool.map(x -> x + 1, range(1_000), MapOptions.builder().chunkSize(chunk)
                    .progress((done, total) -> updates.add(new long[] {done, total})).build());
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
        Iterator<Integer> it = pool.imap(x -> x * 2, endless, MapOptions.builder().maxInFlight(8).build());
        for (int i = 0; i < 100; i++) {
            assertThat(it.next()).isEqualTo(2 * i);
        }
        assertThat(produced.get()).as("items read ahead of the consumer").isLessThanOrEqualTo(100 + 8);
    }

    @Test
    void imapUnorderedGivesEveryResultOnce() {
        List<Integer> out = new ArrayList<>();
        pool.imapUnordered(x -> x * 3, range(500), MapOptions.builder().chunkSize(10).build()).forEachRemaining(out::add);
        assertThat(out).containsExactlyInAnyOrderElementsOf(range(500).stream().map(x -> x * 3).toList());
    }

    @Test
    void submitApplyAndAsCompleted() throws Exception {
        assertThat(pool.apply(() -> "hello".toUpperCase(Locale.ROOT))).isEqualTo("HELLO");
        List<CompletableFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            fs.add(pool.submit(() -> n));
        }
        fs.add(fs.get(0)); // listed twice: returned once
        Iterable<CompletableFuture<Integer>> completing = Pool.asCompleted(fs);
        List<Integer> seen = new ArrayList<>();
        for (CompletableFuture<Integer> f : completing) {
            assertThat(f).isDone();
            seen.add(f.get());
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(range(20));
        List<Integer> again = new ArrayList<>();
        completing.forEach(f -> again.add(f.join())); // a second iterator starts over
        assertThat(again).containsExactlyInAnyOrderElementsOf(range(20));
    }

    @Test
    void aTaskFailureReachesTheCallerWithItsStackTrace() {
        assertThatThrownBy(() -> pool.apply(() -> {
            throw new IllegalArgumentException("bad input 42");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad input 42")
                .satisfies(e -> assertThat(e.getStackTrace()).anySatisfy(f ->
                        assertThat(f.getClassName()).contains("PoolContractTest")));
        assertThatThrownBy(() -> pool.apply(() -> {
            throw new IOException("checked");
        })).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> pool.map(x -> 10 / x, List.of(1, 2, 0, 4), MapOptions.builder().chunkSize(1).build()))
                .isInstanceOf(ArithmeticException.class);
        assertThat(pool.map(x -> x, List.of(1, 2))).containsExactly(1, 2); // the pool goes on
    }

    @Test
    void theInitializerRunsInEveryWorkerBeforeItsTasks() {
        pool.terminate();
        pool = builder().workers(2).initializer(() -> System.setProperty("weft.test.init", "done")).build();
        assertThat(pool.map(x -> System.getProperty("weft.test.init"), range(50), MapOptions.builder().chunkSize(1).build()))
                .containsOnly("done");
    }

    @Test
    void closeFinishesQueuedWorkThenRefusesMore() throws Exception {
        List<CompletableFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            fs.add(pool.submit(() -> {
                Thread.sleep(2); // the work: slow, so that work is still queued when close is called
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
    void terminateFailsWhatHadNotFinishedWithATaskCancelledException(@TempDir Path dir) throws Exception {
        Gate never = Gate.at(dir.resolve("never"));
        List<CompletableFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fs.add(pool.submit(() -> {
                never.pass(); // runs until the pool ends it
                return 0;
            }));
        }
        pool.terminate();
        assertThat(fs).allSatisfy(f -> assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(TaskCancelledException.class).hasMessageContaining("the pool was terminated"));
        assertThatThrownBy(() -> Waiting.get(fs.get(0))).isInstanceOf(TaskCancelledException.class);
        try (Loop loop = Loop.builder().build()) {
            assertThatThrownBy(() -> loop.run(() -> Weft.await(fs.get(0)))).isInstanceOf(TaskCancelledException.class);
        }
    }

    @Test
    void aTaskOfALoopAwaitsPoolWorkWithoutHoldingTheLoop(@TempDir Path dir) throws Exception {
        Gate ticked = Gate.at(dir.resolve("ticked"));
        try (Loop loop = Loop.builder().noStallWatchdog().build()) {
            int ticks = loop.run(() -> {
                AtomicInteger count = new AtomicInteger();
                var ticker = Weft.spawn(() -> {
                    for (;;) {
                        if (count.incrementAndGet() == 3) {
                            ticked.open(); // the job ends once the loop has run this task three times
                        }
                        Weft.sleep(Duration.ofMillis(1));
                    }
                });
                int r = Weft.await(pool.submit(() -> {
                    ticked.pass(); // never, if waiting for it held the loop: the test's time limit fails it
                    return 7;
                }));
                List<Integer> squares = pool.map(x -> x * x, range(10)); // from a task too
                ticker.cancel();
                assertThat(r).isEqualTo(7);
                assertThat(squares).containsExactly(0, 1, 4, 9, 16, 25, 36, 49, 64, 81);
                return count.get();
            });
            assertThat(ticks).as("the loop ran the ticker while its task waited").isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void workRunsInParallelOnTheWorkers(@TempDir Path dir) {
        Rendezvous both = Rendezvous.in(dir, 2);
        List<String> workers = pool.map(x -> both.arrive(), range(8), MapOptions.builder().chunkSize(1).build());
        assertThat(Set.copyOf(workers)).hasSize(2);
    }

    @Test
    void closingFromACallbackOfItsOwnFutureIsAnErrorNotADeadlock(@TempDir Path dir) throws Exception {
        Gate added = Gate.at(dir.resolve("callback-added"));
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        CompletableFuture<Integer> job = pool.submit(() -> {
            added.pass(); // ends after the callback is added: the callback runs on the pool's thread
            return 1;
        });
        CompletableFuture<Integer> callback = job.whenComplete((v, e) -> {
            try {
                pool.close();
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        added.open();
        callback.handle((v, e) -> null).get();
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
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
        Iterator<Integer> it = pool.imap(x -> x, failing, MapOptions.builder().maxInFlight(4).build());
        List<Integer> got = new ArrayList<>();
        assertThatThrownBy(() -> it.forEachRemaining(got::add)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the input broke");
        assertThat(got).isEqualTo(range(got.size())); // in order up to the failure
        assertThat(pool.map(x -> x, List.of(1, 2))).containsExactly(1, 2);
    }
}
