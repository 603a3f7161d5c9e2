package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process pool's {@code retries} on a map (decision 0023): a chunk whose worker died is split in
 * halves, down to single items, and only a single item's deaths count against the budget. Faults are
 * injected by the items themselves, deterministically: an item halts its worker on its first runs,
 * counted in files (the workers share nothing else with the test).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChunkRetryTest {
    /** Squares; item {@code i} halts its worker (exit code 42) on each of its first {@code kills.get(i)} runs. */
    record Killer(String dir, Map<Integer, Integer> kills) implements Fn<Integer, Integer> {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public Integer apply(Integer item) throws IOException {
            long before = runs(Path.of(dir), item);
            Files.createTempFile(Path.of(dir), "item" + item + "-", ""); // this run
            if (before < kills.getOrDefault(item, 0)) {
                Runtime.getRuntime().halt(42);
            }
            return item * item;
        }

        static long runs(Path dir, int item) {
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(f -> f.getFileName().toString().startsWith("item" + item + "-")).count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    /**
     * One chunk of 40 items, three of which kill their worker once each, one retry: each death
     * splits the piece that ran, and every item ends with its result. (Before, the retry counted per
     * chunk: the chunk died at item 5, again at item 17 on its one retry, and the map failed.)
     */
    @Test
    void aMapFinishesWhenItemsKillTheirWorkersOnceEach(@TempDir Path dir) {
        Killer fn = new Killer(dir.toString(), Map.of(5, 1, 17, 1, 33, 1));
        try (Pool pool = Pool.processes().workers(2).retries(1).build()) {
            assertThat(pool.map(fn, range(40), MapOptions.builder().chunkSize(40).build()))
                    .isEqualTo(range(40).stream().map(x -> x * x).toList());
        }
        // [0,40) dies at 5; [0,20) dies at 17 and [20,40) at 33; [0,10), [10,20), [20,30), [30,40) finish
        assertThat(Killer.runs(dir, 5)).isEqualTo(3);
        assertThat(Killer.runs(dir, 17)).isEqualTo(2);
        assertThat(Killer.runs(dir, 33)).isEqualTo(2);
    }

    /**
     * An item that kills its worker every time: 8 items in one chunk, the 4th the killer, two retries.
     * The chunk is split three times to isolate it ([0,8) → [0,4) → [2,4) → [3]: three deaths that cost
     * nothing), then it runs 1 + 2 times alone and the map fails with its worker's death.
     */
    @Test
    void anItemThatAlwaysKillsItsWorkerFailsAfterItsRetries(@TempDir Path dir) {
        Killer fn = new Killer(dir.toString(), Map.of(3, Integer.MAX_VALUE));
        try (Pool pool = Pool.processes().workers(2).retries(2).build()) {
            assertThatThrownBy(() -> pool.map(fn, range(8), MapOptions.builder().chunkSize(8).build()))
                    .isInstanceOfSatisfying(WorkerDiedException.class, e -> assertThat(e.exitCode()).isEqualTo(42));
            assertThat(Killer.runs(dir, 3)).isEqualTo(3 + 1 + 2);
            assertThat(pool.map(x -> x + 1, List.of(1, 2))).containsExactly(2, 3); // the pool goes on
        }
    }

    /** Without retries a death fails the chunk it ran, unsplit: the map fails at once. */
    @Test
    void withoutRetriesAChunkWhoseWorkerDiedFailsTheMap(@TempDir Path dir) {
        Killer fn = new Killer(dir.toString(), Map.of(3, 1));
        try (Pool pool = Pool.processes().workers(1).build()) {
            assertThatThrownBy(() -> pool.map(fn, range(8), MapOptions.builder().chunkSize(8).build()))
                    .isInstanceOf(WorkerDiedException.class);
            assertThat(Killer.runs(dir, 3)).isEqualTo(1);
            assertThat(Killer.runs(dir, 4)).as("items after the death, never run").isZero();
        }
    }

    /**
     * A split chunk still gives its results in order and tells its progress once, with all its
     * items; a lazy map splits too. Two killers in one chunk with one retry: only a split finishes.
     */
    @Test
    void aSplitChunkKeepsItsOrderAndProgressAndImapSplitsToo(@TempDir Path dir) throws IOException {
        Killer fn = new Killer(Files.createDirectory(dir.resolve("map")).toString(), Map.of(2, 1, 4, 1, 9, 1));
        List<Long> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Pool pool = Pool.processes().workers(2).retries(1).build()) {
            assertThat(pool.map(fn, range(12), MapOptions.builder().chunkSize(6)
                    .progress((done, total) -> told.add(done)).build())).isEqualTo(range(12).stream().map(x -> x * x).toList());
            assertThat(told).containsExactly(6L, 12L);
            Killer lazy = new Killer(Files.createDirectory(dir.resolve("imap")).toString(), Map.of(4, 1, 8, 1));
            List<Integer> got = new java.util.ArrayList<>();
            pool.imap(lazy, range(12), MapOptions.builder().chunkSize(12).build()).forEachRemaining(got::add);
            assertThat(got).isEqualTo(range(12).stream().map(x -> x * x).toList());
        }
    }
}
