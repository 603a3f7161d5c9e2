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
 * {@code map_tasks} (a map of {@code squares} squares with automatic chunking, tasks/s; the median of
 * {@code map_rounds} after as many to warm up),
 * {@code roundtrip_us} (one {@code apply} of a trivial task, the median of {@code roundtrips}) and
 * {@code speedup} (a CPU-bound job cut in {@code chunks} equal chunks, on the pool vs one after
 * another; the job, primes below {@code primes_below} in Java and {@code python_primes_below} in
 * Python, takes about a second or two one after another in each language). The sizes are those of
 * {@link Sizes}.
 */
public final class PoolBench {
    /** The benchmark's spec. */
    public static final SideBySide.Spec SPEC = new SideBySide.Spec("pool", "Pool.threads and Pool.processes vs"
            + " multiprocessing.Pool, one worker per core: map of {squares} squares, apply round trip, CPU-bound"
            + " speed-up over {chunks} chunks", List.of(new SideBySide.Metric("map_tasks", "tasks/s", true),
                    new SideBySide.Metric("roundtrip_us", "µs", false), new SideBySide.Metric("speedup", "x", true)), 0);

    /** One chunk per task: each chunk of primes is a task of its own. */
    private static final MapOptions ONE_PER_TASK = MapOptions.builder().chunkSize(1).build();

    private PoolBench() {}

    /** Runs every pool {@code repeats} times at {@code scale} and keeps the medians; progress lines go to {@code log}. */
    public static SideBySide.Result run(Sizes.Scale scale, int repeats, Anchors anchors, PrintStream log)
            throws IOException, InterruptedException {
        Sizes sizes = Sizes.of(SPEC.name(), scale);
        List<String> notes = new ArrayList<>();
        Map<String, List<String>> systems = new LinkedHashMap<>();
        for (String kind : List.of("threads", "processes")) {
            List<String> args = new ArrayList<>(List.of(kind));
            args.addAll(sizes.args());
            systems.put(kind, SideBySide.java(List.of(), PoolBench.class, args));
        }
        if (anchors.python(notes)) {
            Path script = SideBySide.extractScript("pool_bench.py");
            List<String> python = List.of("--squares", String.valueOf(sizes.get("squares")), "--roundtrips",
                    String.valueOf(sizes.get("roundtrips")), "--map_rounds", String.valueOf(sizes.get("map_rounds")),
                    "--primes_below", String.valueOf(sizes.get("python_primes_below")), "--chunks",
                    String.valueOf(sizes.get("chunks")));
            systems.put("multiprocessing", SideBySide.python(anchors, script, List.of(), python));
        }
        notes.add("workers: " + Runtime.getRuntime().availableProcessors() + " (the cores) in every pool");
        return new SideBySide.Result(SPEC, sizes, SideBySide.medians(SPEC, systems, repeats, log, SideBySide::runOnce),
                notes);
    }

    /**
     * {@code threads|processes --SIZE VALUE ...}: prints {@code result map_tasks=... roundtrip_us=... speedup=...}.
     */
    public static void main(String[] args) throws Exception {
        Sizes sizes = Sizes.parse(List.of(args).subList(1, args.length));
        int squares = sizes.get("squares");
        int mapRounds = sizes.get("map_rounds");
        int roundtrips = sizes.get("roundtrips");
        int cores = Runtime.getRuntime().availableProcessors();
        try (Pool pool = (args[0].equals("threads") ? Pool.threads() : Pool.processes()).workers(cores).build()) {
            List<Integer> items = IntStream.range(0, squares).boxed().toList();
            double[] maps = new double[mapRounds];
            for (int r = -mapRounds; r < mapRounds; r++) { // the first rounds warm up: workers started, code compiled
                long t0 = System.nanoTime();
                pool.map(x -> x * x, items);
                if (r >= 0) {
                    maps[r] = squares / ((System.nanoTime() - t0) / 1e9);
                }
            }
            Arrays.sort(maps);
            double mapTasks = maps[mapRounds / 2];

            long[] trips = new long[roundtrips];
            for (int i = 0; i < roundtrips * 2; i++) { // the first half warms up
                long s = System.nanoTime();
                pool.apply(() -> 1);
                if (i >= roundtrips) {
                    trips[i - roundtrips] = System.nanoTime() - s;
                }
            }
            Arrays.sort(trips);
            double roundtripUs = trips[roundtrips / 2] / 1e3;

            int primesBelow = sizes.get("primes_below");
            List<int[]> chunks = chunks(primesBelow, sizes.get("chunks"));
            pool.map(PoolBench::countPrimes, chunks(primesBelow / 10, sizes.get("chunks")), ONE_PER_TASK);
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
