package dev.weft.bench;

import dev.weft.pool.MapOptions;
import dev.weft.pool.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code weft bench pool}: Weft's {@code Pool.threads} and {@code Pool.processes} beside CPython's
 * {@code multiprocessing.Pool}, each with as many workers as cores, each in its own process:
 * {@code map_tasks} (a map of {@value #SQUARES} squares with automatic chunking, tasks/s; the median of
 * {@value #MAP_ROUNDS} after as many to warm up),
 * {@code roundtrip_us} (one {@code apply} of a trivial task, the median of {@value #ROUNDTRIPS}) and
 * {@code speedup} (a CPU-bound job cut in 8 equal chunks, on the pool vs one after another; the job
 * is sized so that it takes about a second or two one after another in each language).
 */
public final class PoolBench {
    static final int SQUARES = 1_000_000;
    static final int ROUNDTRIPS = 2_000;
    static final int MAP_ROUNDS = 3;
    /** Primes below this are counted by the CPU-bound job (Python's job is smaller: see pool_bench.py). */
    static final int PRIMES_BELOW = 6_000_000;
    static final int CHUNKS = 8;

    /** The benchmark's spec. */
    public static final SideBySide.Spec SPEC = new SideBySide.Spec("pool", "Pool.threads and Pool.processes vs"
            + " multiprocessing.Pool, one worker per core: map of " + SQUARES + " squares, apply round trip, CPU-bound"
            + " speed-up over 8 chunks", List.of(new SideBySide.Metric("map_tasks", "tasks/s", true),
                    new SideBySide.Metric("roundtrip_us", "µs", false), new SideBySide.Metric("speedup", "x", true)), 0);

    /** One chunk per task: each chunk of primes is a task of its own. */
    private static final MapOptions ONE_PER_TASK = MapOptions.builder().chunkSize(1).build();

    private PoolBench() {}

    public static SideBySide.Result run(int repeats, PrintStream log) throws IOException, InterruptedException {
        List<String> notes = new ArrayList<>();
        Map<String, List<String>> systems = new LinkedHashMap<>();
        systems.put("threads", SideBySide.java(List.of(), PoolBench.class, "threads"));
        systems.put("processes", SideBySide.java(List.of(), PoolBench.class, "processes"));
        Anchors anchors = new Anchors(log);
        if (anchors.python(notes)) {
            Path script = SideBySide.extractScript("pool_bench.py");
            systems.put("multiprocessing", List.of(Anchors.PYTHON, script.toString()));
        }
        notes.add("workers: " + Runtime.getRuntime().availableProcessors() + " (the cores) in every pool");
        return new SideBySide.Result(SPEC, SideBySide.medians(SPEC, systems, repeats, log, SideBySide::runOnce), notes);
    }

    /** {@code threads} or {@code processes}: prints {@code result map_tasks=... roundtrip_us=... speedup=...}. */
    public static void main(String[] args) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        try (Pool pool = (args[0].equals("threads") ? Pool.threads() : Pool.processes()).workers(cores).build()) {
            List<Integer> items = IntStream.range(0, SQUARES).boxed().toList();
            double[] maps = new double[MAP_ROUNDS];
            for (int r = -MAP_ROUNDS; r < MAP_ROUNDS; r++) { // the first rounds warm up: workers started, code compiled
                long t0 = System.nanoTime();
                pool.map(x -> x * x, items);
                if (r >= 0) {
                    maps[r] = SQUARES / ((System.nanoTime() - t0) / 1e9);
                }
            }
            Arrays.sort(maps);
            double mapTasks = maps[MAP_ROUNDS / 2];

            long[] trips = new long[ROUNDTRIPS];
            for (int i = 0; i < ROUNDTRIPS * 2; i++) { // the first half warms up
                long s = System.nanoTime();
                pool.apply(() -> 1);
                if (i >= ROUNDTRIPS) {
                    trips[i - ROUNDTRIPS] = System.nanoTime() - s;
                }
            }
            Arrays.sort(trips);
            double roundtripUs = trips[ROUNDTRIPS / 2] / 1e3;

            List<int[]> chunks = chunks(PRIMES_BELOW, CHUNKS);
            pool.map(PoolBench::countPrimes, chunks(PRIMES_BELOW / 10, CHUNKS), ONE_PER_TASK);
            long s0 = System.nanoTime();
            long sequential = 0;
            for (int[] c : chunks) {
                sequential += countPrimes(c);
            }
            double seqSeconds = (System.nanoTime() - s0) / 1e9;
            long p0 = System.nanoTime();
            long parallel = pool.map(PoolBench::countPrimes, chunks, ONE_PER_TASK).stream()
                    .mapToLong(Long::longValue).sum();
            double parSeconds = (System.nanoTime() - p0) / 1e9;
            if (parallel != sequential) {
                throw new AssertionError("the pool counted " + parallel + " primes, one after another " + sequential);
            }
            System.out.println("result map_tasks=" + mapTasks + " roundtrip_us=" + roundtripUs + " speedup="
                    + seqSeconds / parSeconds);
        }
    }

    /** [from, to) ranges cutting [0, n) in {@code k} equal parts. */
    public static List<int[]> chunks(int n, int k) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            out.add(new int[] {(int) ((long) n * i / k), (int) ((long) n * (i + 1) / k)});
        }
        return out;
    }

    /** How many primes in [range[0], range[1]), by trial division (CPU-bound on purpose). */
    public static long countPrimes(int[] range) {
        long count = 0;
        for (int n = Math.max(2, range[0]); n < range[1]; n++) {
            boolean prime = true;
            for (int d = 2; (long) d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }
}
