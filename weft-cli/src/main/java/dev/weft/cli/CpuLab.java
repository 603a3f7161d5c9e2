package dev.weft.cli;

import dev.weft.bench.PoolBench;
import dev.weft.pool.MapOptions;
import dev.weft.pool.Pool;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The lab's CPU-bound case: the lesson's squares on a process pool, then a heavier job (primes by
 * trial division, in 8 equal chunks) one after another, as tasks of one loop (no gain: they never
 * wait, so they take turns), on {@code Pool.threads} and on {@code Pool.processes}.
 */
final class CpuLab {
    /** Where {@link #run}'s rows have the job one after another. */
    static final int ONE_AFTER_ANOTHER = 0;
    private static final int CHUNKS = 8;
    private static final int SQUARES = 10;
    /** One chunk per task: each chunk of primes is a task of its own. */
    private static final MapOptions ONE_PER_TASK = MapOptions.builder().chunkSize(1).build();

    private CpuLab() {}

    /** Runs the case and prints its report; the job counts the primes below {@code primesBelow}. */
    static List<LabRow> run(Lab lab, int primesBelow) throws Exception {
        int cores = Lab.cores();
        Pool threads = lab.threads();
        Pool processes = lab.processes();
        List<Integer> squares = processes.map(x -> x * x, IntStream.range(0, SQUARES).boxed().toList());
        lab.out().printf("The lesson's example: Pool.processes().workers(%d).build().map(x -> x * x, range(%d))%n"
                + "  = %s (sum %d)%n%n", cores, SQUARES, squares, squares.stream().mapToInt(Integer::intValue).sum());
        List<int[]> chunks = PoolBench.chunks(primesBelow, CHUNKS);
        // warm-up: the JIT compiles the job in this JVM and in the workers, so every row runs compiled code
        List<int[]> warm = PoolBench.chunks(Math.max(primesBelow / 20, CHUNKS), CHUNKS);
        warm.forEach(PoolBench::countPrimes);
        threads.map(PoolBench::countPrimes, warm, ONE_PER_TASK);
        processes.map(PoolBench::countPrimes, warm, ONE_PER_TASK);
        lab.out().printf("CPU-bound: counting the primes below %,d by trial division, in %d equal chunks, on %d"
                + " cores%n%n", primesBelow, CHUNKS, cores);
        List<LabRow> rows = List.of(
                lab.measure(CHUNKS + " chunks one after another", "sequential", true,
                        () -> chunks.stream().mapToLong(PoolBench::countPrimes).sum()),
                lab.measure(CHUNKS + " tasks on one loop", "concurrency (no parallelism)", true,
                        () -> Lab.concurrently(CHUNKS, "chunk", i -> PoolBench.countPrimes(chunks.get(i)))),
                lab.measure("Pool.threads, " + cores + " workers", "parallelism (threads)", false,
                        () -> sum(threads.map(PoolBench::countPrimes, chunks, ONE_PER_TASK))),
                lab.measure("Pool.processes, " + cores + " workers", "parallelism (processes)", false,
                        () -> sum(processes.map(PoolBench::countPrimes, chunks, ONE_PER_TASK))));
        lab.report("CPU-bound", rows, List.of(rows.get(1), rows.get(3)),
                String.format("primes below %,d", primesBelow));
        return rows;
    }

    static long sum(List<Long> counts) {
        return counts.stream().mapToLong(Long::longValue).sum();
    }
}
