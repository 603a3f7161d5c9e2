package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random maps, lazy maps and submissions, with random chunking, pacing and failing items, against
 * each backend: every result is what a plain loop computes, in the promised order, and a failure is
 * the failing item's. The seed is printed; rerun one with {@code -Dweft.seed=N}.
 */
class PoolStressTest {
    /** Fails for the items divisible by {@code failEvery} (0: never). */
    record Square(int failEvery) implements Fn<Integer, Long> {
        @Override
        public Long apply(Integer x) {
            if (failEvery > 0 && x % failEvery == 0 && x > 0) {
                throw new IllegalArgumentException("item " + x);
            }
            return (long) x * x;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "processes"})
    void randomWorkGivesWhatAPlainLoopGives(String backend) {
        long seed = Long.getLong("weft.seed", System.nanoTime());
        System.out.println("PoolStressTest " + backend + " seed=" + seed + " (rerun with -Dweft.seed=" + seed + ")");
        Random random = new Random(seed);
        Pool.Builder<?> b = backend.equals("threads") ? Pool.threads() : Pool.processes();
        try (Pool pool = b.workers(1 + random.nextInt(3)).build()) {
            for (int round = 0; round < (backend.equals("threads") ? 300 : 40); round++) {
                String context = "seed=" + seed + " round=" + round;
                int n = random.nextInt(600);
                List<Integer> items = IntStream.range(0, n).boxed().toList();
                int failEvery = random.nextInt(4) == 0 ? 1 + random.nextInt(Math.max(1, n)) : 0;
                Square fn = new Square(failEvery);
                boolean fails = failEvery > 0 && n > failEvery;
                MapOptions o = options(random);
                List<Long> expected = items.stream().map(x -> (long) x * x).toList();
                switch (random.nextInt(4)) {
                    case 0 -> {
                        if (fails) {
                            assertThatThrownBy(() -> pool.map(fn, items, o)).as(context)
                                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("item ");
                        } else {
                            assertThat(pool.map(fn, items, o)).as(context).isEqualTo(expected);
                        }
                    }
                    case 1 -> {
                        List<Long> got = new ArrayList<>();
                        Iterator<Long> it = pool.imap(fn, items, o);
                        if (fails) {
                            assertThatThrownBy(() -> it.forEachRemaining(got::add)).as(context)
                                    .isInstanceOf(IllegalArgumentException.class);
                            assertThat(got).as(context).isEqualTo(expected.subList(0, got.size())); // in order until then
                        } else {
                            it.forEachRemaining(got::add);
                            assertThat(got).as(context).isEqualTo(expected);
                        }
                    }
                    case 2 -> {
                        List<Long> got = new ArrayList<>();
                        Iterator<Long> it = pool.imapUnordered(fn, items, o);
                        if (fails) {
                            assertThatThrownBy(() -> it.forEachRemaining(got::add)).as(context)
                                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("item ");
                            assertThat(expected).as(context).containsAll(got); // each result a right one, once
                            assertThat(got).as(context).doesNotHaveDuplicates();
                        } else {
                            it.forEachRemaining(got::add);
                            assertThat(got).as(context).containsExactlyInAnyOrderElementsOf(expected);
                        }
                    }
                    default -> {
                        List<CompletableFuture<Long>> fs = new ArrayList<>();
                        for (int x : items.subList(0, Math.min(n, 50))) {
                            fs.add(pool.submit(() -> fn.apply(x)));
                        }
                        for (CompletableFuture<Long> f : Pool.asCompleted(fs)) {
                            assertThat(f).as(context).isDone();
                        }
                        for (int i = 0; i < fs.size(); i++) {
                            boolean bad = failEvery > 0 && i > 0 && i % failEvery == 0;
                            assertThat(fs.get(i).isCompletedExceptionally()).as(context + " item " + i).isEqualTo(bad);
                            if (!bad) {
                                assertThat(fs.get(i).join()).isEqualTo((long) i * i);
                            }
                        }
                    }
                }
            }
        }
    }

    /** Automatic or random chunk size and pacing, each option set or not at random. */
    private static MapOptions options(Random random) {
        MapOptions.Builder o = MapOptions.builder();
        int chunk = random.nextInt(40);
        if (chunk > 0) {
            o.chunkSize(chunk);
        }
        int inFlight = random.nextInt(6);
        if (inFlight > 0) {
            o.maxInFlight(inFlight);
        }
        return o.build();
    }
}
