package dev.weft.cli;

import dev.weft.HttpClient;
import dev.weft.bench.PoolBench;
import dev.weft.pool.Pool;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The lab's mixed case: N tasks of one loop each fetch a response, then process it (count the primes
 * of its own chunk): the processing on the loop itself (the waits overlap, the computing takes
 * turns), then on {@code Pool.threads} and on {@code Pool.processes}, awaited from the tasks.
 */
final class MixedLab {
    private MixedLab() {}

    /** Runs the case and prints its report; the processing of all responses counts the primes below {@code primesBelow}. */
    static List<LabRow> run(Lab lab, int calls, long latencyMs, int primesBelow) throws Exception {
        lab.out().printf("Mixed: %d tasks each fetch a response (%d ms) and process it: the primes of its own"
                + " chunk of %,d%n%n", calls, latencyMs, primesBelow);
        List<int[]> chunks = PoolBench.chunks(primesBelow, calls);
        String tasks = calls + " tasks";
        IntFunction<String> url = lab.api(latencyMs);
        Pool threads = lab.threads();
        Pool processes = lab.processes();
        List<LabRow> rows = List.of(
                row(lab, tasks + ", processing on the loop", "concurrency + asynchrony", chunks, url,
                        PoolBench::countPrimes),
                row(lab, tasks + ", processing on Pool.threads", "asynchrony + parallelism (threads)", chunks,
                        url, chunk -> threads.apply(() -> PoolBench.countPrimes(chunk))),
                row(lab, tasks + ", processing on Pool.processes", "asynchrony + parallelism (processes)", chunks,
                        url, chunk -> processes.apply(() -> PoolBench.countPrimes(chunk))));
        lab.report("Mixed", rows, List.of(rows.get(0), rows.get(2)), String.format("primes below %,d", primesBelow));
        return rows;
    }

    /** How a task processes its response: counts the primes of its chunk, somewhere. */
    @FunctionalInterface
    private interface Processing {
        long count(int[] chunk) throws Exception;
    }

    /** Task i fetches API i, then processes chunk i; a pool's {@code apply} suspends the task, so the loop runs the others. */
    private static LabRow row(Lab lab, String how, String model, List<int[]> chunks, IntFunction<String> url,
            Processing processing) throws Exception {
        HttpClient http = lab.http();
        return lab.measure(how, model, false, () -> Lab.concurrently(chunks.size(), "fetch", i -> {
            http.get(url.apply(i));
            return processing.count(chunks.get(i));
        }));
    }
}
