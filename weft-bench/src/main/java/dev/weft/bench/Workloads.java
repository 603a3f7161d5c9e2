package dev.weft.bench;

import dev.weft.Loop;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.Lock;
import dev.weft.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weft's side of {@code weft bench}: the same workloads as loop_bench.py, written the way a user
 * would. Each returns its metrics; the loops run with default options, watchdog included.
 */
final class Workloads {
    private Workloads() {}

    static Map<String, Double> run(String workload) {
        return switch (workload) {
            case "switch" -> switches();
            case "spawn" -> spawn();
            case "sleepers" -> sleepers();
            case "queue" -> queue();
            case "lock" -> lock();
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        };
    }

    private static Map<String, Double> switches() {
        long t0 = System.nanoTime();
        Weft.run(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                tasks.add(Weft.spawn(() -> {
                    for (int j = 0; j < 10_000; j++) {
                        Weft.yield();
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                Weft.await(t);
            }
        });
        return Map.of("switches", 100 * 10_000 / seconds(t0));
    }

    private static Map<String, Double> spawn() {
        int n = 1_000_000;
        long t0 = System.nanoTime();
        quietRun(() -> {
            List<Task<Object>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tasks.add(Weft.spawn(() -> null));
            }
            for (Task<Object> t : tasks) {
                Weft.await(t);
            }
        });
        return Map.of("tasks", n / seconds(t0));
    }

    private static Map<String, Double> sleepers() {
        int n = 1_000_000;
        long t0 = System.nanoTime();
        quietRun(() -> {
            Duration second = Duration.ofSeconds(1);
            List<Task<Void>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tasks.add(Weft.spawn(() -> Weft.sleep(second)));
            }
            for (Task<Void> t : tasks) {
                Weft.await(t);
            }
        });
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("wall_s", seconds(t0));
        return m;
    }

    private static Map<String, Double> queue() {
        int producers = 4;
        int consumers = 4;
        int n = 400_000;
        long t0 = System.nanoTime();
        Weft.run(() -> {
            Queue<Integer> q = Queue.fifo(100);
            List<Task<Void>> workers = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                workers.add(Weft.spawn(() -> {
                    for (Integer item : q) {
                        q.taskDone();
                    }
                }));
            }
            List<Task<Void>> putters = new ArrayList<>();
            for (int i = 0; i < producers; i++) {
                putters.add(Weft.spawn(() -> {
                    for (int j = 0; j < n / producers; j++) {
                        q.put(j);
                    }
                }));
            }
            for (Task<Void> p : putters) {
                Weft.await(p);
            }
            q.join();
            q.shutdown();
            for (Task<Void> w : workers) {
                Weft.await(w);
            }
        });
        return Map.of("items", n / seconds(t0));
    }

    private static Map<String, Double> lock() {
        int tasks = 100;
        int rounds = 10_000;
        long t0 = System.nanoTime();
        Weft.run(() -> {
            Lock mutex = new Lock();
            List<Task<Void>> all = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                all.add(Weft.spawn(() -> {
                    for (int j = 0; j < rounds; j++) {
                        mutex.acquire();
                        try {
                            Weft.yield();
                        } finally {
                            mutex.release();
                        }
                    }
                }));
            }
            for (Task<Void> t : all) {
                Weft.await(t);
            }
        });
        return Map.of("acquisitions", tasks * rounds / seconds(t0));
    }

    /**
     * Runs {@code main} with the watchdog's threshold raised: spawning a million tasks holds the loop
     * for a while, which is the workload (asyncio's loop is as busy), not a stall worth a warning.
     */
    private static void quietRun(dev.weft.Action<RuntimeException> main) {
        try (Loop loop = Loop.builder().stallThreshold(Duration.ofSeconds(30)).build()) {
            loop.run(main);
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
