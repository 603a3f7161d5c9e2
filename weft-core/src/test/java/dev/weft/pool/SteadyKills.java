package dev.weft.pool;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The measurement of decision 0023 (not a test: it takes wall-clock time): a map of 2,000 items of
 * 10 ms each on 2 worker processes with the default chunking (8 chunks of 250 items, 2.5 s each) and
 * {@code retries(3)}, while a worker is killed (SIGKILL) every 300 ms. Prints whether the map
 * finished, how many kills it absorbed and how long it took. Run it with this module's test class path:
 * {@code java -cp ... dev.weft.pool.SteadyKills [killEveryMillis]}; the seed of the victims is printed.
 */
public final class SteadyKills {
    private SteadyKills() {}

    public static void main(String[] args) throws Exception {
        long every = args.length > 0 ? Long.parseLong(args[0]) : 300;
        long seed = Long.getLong("weft.seed", System.nanoTime());
        System.out.println("SteadyKills seed=" + seed + " kill every " + every + " ms");
        Random random = new Random(seed);
        List<Integer> items = IntStream.range(0, 2_000).boxed().toList();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger kills = new AtomicInteger();
        try (Pool pool = Pool.processes().workers(2).retries(3).build()) {
            pool.map(x -> x, List.of(1, 2)); // both workers up before the clock starts
            Thread killer = Thread.ofPlatform().daemon().start(() -> {
                while (!done.get()) {
                    try {
                        Thread.sleep(every); // the fault's rate is the point here
                    } catch (InterruptedException e) {
                        return;
                    }
                    List<ProcessHandle> workers = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
                    if (!workers.isEmpty() && !done.get()) {
                        workers.get(random.nextInt(workers.size())).destroyForcibly();
                        kills.incrementAndGet();
                    }
                }
            });
            long t0 = System.nanoTime();
            String outcome;
            try {
                List<Integer> out = pool.map(x -> {
                    Thread.sleep(10); // the work
                    return x;
                }, items);
                outcome = out.equals(items) ? "finished, every result right" : "finished, WRONG results";
            } catch (RuntimeException e) {
                outcome = "failed: " + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            done.set(true);
            killer.interrupt();
            killer.join();
            System.out.printf("map %s; %d kills absorbed in %.1f s%n", outcome, kills.get(), seconds);
        }
    }
}
