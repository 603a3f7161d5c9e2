package dev.weft.cli;

import dev.weft.Loop;
import dev.weft.TaskGroup;
import dev.weft.bench.PoolBench;
import dev.weft.pool.MapOptions;
import dev.weft.pool.Pool;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The lab's CPU-bound case: the lesson's squares on a process pool, then a heavier job (primes by
 * trial division, in 8 equal chunks) one after another, as tasks of one loop (no gain: they never
 * wait, so they take turns), on {@code Pool.threads} and on {@code Pool.processes}: wall time,
 * speed-up, and how many cores were busy (CPU time of this process and its workers over wall time).
 */
final class CpuLab {
    private static final int CHUNKS = 8;
    /** One chunk per task: each chunk of primes is a task of its own. */
    private static final MapOptions ONE_PER_TASK = MapOptions.builder().chunkSize(1).build();

    private CpuLab() {}

    /** A function of the lab's job: the chunks' prime counts, added up. */
    private interface Job {
        long run(List<int[]> chunks) throws Exception;
    }

    static void run(PrintWriter out, int primesBelow) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        try (Pool threads = Pool.threads().workers(cores).build(); Pool processes = Pool.processes().workers(cores).build()) {
            List<Integer> squares = processes.map(x -> x * x, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
            out.printf("The lesson's example: Pool.processes().workers(%d).build().map(x -> x * x, [1..10]) = %s%n%n", cores, squares);
            out.printf("CPU-bound: counting the primes below %,d by trial division, in %d equal chunks (%d cores)%n%n",
                    primesBelow, CHUNKS, cores);
            out.flush();
            List<int[]> chunks = PoolBench.chunks(primesBelow, CHUNKS);
            List<int[]> warm = PoolBench.chunks(primesBelow / 20, CHUNKS);
            // warm-up: the JIT compiles the job in this JVM and in the workers, so every row runs compiled code
            sequential(warm);
            threads.map(PoolBench::countPrimes, warm, ONE_PER_TASK);
            processes.map(PoolBench::countPrimes, warm, ONE_PER_TASK);
            Map<String, Job> models = new LinkedHashMap<>();
            models.put("sequential (one after another)", CpuLab::sequential);
            models.put("concurrent (one loop, " + CHUNKS + " tasks)", CpuLab::onOneLoop);
            models.put("Pool.threads(), " + cores + " workers", c -> sum(threads.map(PoolBench::countPrimes, c,
                    ONE_PER_TASK)));
            models.put("Pool.processes(), " + cores + " workers", c -> sum(processes.map(PoolBench::countPrimes, c,
                    ONE_PER_TASK)));
            Table table = new Table("model", "wall time", "speed-up", "cores busy", "primes");
            long first = 0;
            for (var m : models.entrySet()) {
                long cpu0 = cpuNanos();
                long t0 = System.nanoTime();
                long primes = m.getValue().run(chunks);
                long wall = System.nanoTime() - t0;
                double busy = (double) (cpuNanos() - cpu0) / wall;
                first = first == 0 ? wall : first;
                table.row(m.getKey(), Table.seconds(wall), String.format("%.1fx", (double) first / wall),
                        String.format("%.1f", busy), String.format("%,d", primes));
            }
            table.print(out);
        }
        out.printf("%nComputing never waits: tasks on one loop take turns, so they gain nothing (concurrency is for"
                + "%nwaiting). A pool runs the chunks on all cores at once: threads share this JVM's memory, processes"
                + "%nisolate each worker (a crash or a leak stays there) at the cost of sending the work over a pipe.%n");
    }

    private static long sequential(List<int[]> chunks) {
        return chunks.stream().mapToLong(PoolBench::countPrimes).sum();
    }

    private static long onOneLoop(List<int[]> chunks) throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().build()) {
            return loop.run(() -> {
                try (TaskGroup g = TaskGroup.open()) {
                    List<dev.weft.Task<Long>> tasks = new ArrayList<>();
                    for (int[] c : chunks) {
                        tasks.add(g.spawn(() -> PoolBench.countPrimes(c)));
                    }
                    g.join();
                    return tasks.stream().mapToLong(dev.weft.Task::resultNow).sum();
                }
            });
        }
    }

    private static long sum(List<Long> counts) {
        return counts.stream().mapToLong(Long::longValue).sum();
    }

    /** CPU time used so far by this process and its live descendants (the pool's workers). */
    private static long cpuNanos() {
        ToLongFunction<ProcessHandle> cpu = p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        return cpu.applyAsLong(ProcessHandle.current())
                + ProcessHandle.current().descendants().mapToLong(cpu).sum();
    }
}
