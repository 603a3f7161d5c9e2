package dev.weft.bench;

import dev.weft.Loop;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.Lock;
import dev.weft.Queue;
import dev.weft.trace.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Weft's side of {@code weft bench}: the same workloads as loop_bench.py, written the way a user
 * would. Each returns its metrics; the loops run with default options, watchdog included.
 */
final class Workloads {
    private Workloads() {}

    /** Runs {@code workload} at {@code sizes} (those of {@link Sizes#of}) and returns its metrics. */
    static Map<String, Double> run(String workload, Sizes sizes) {
        return switch (workload) {
            case "switch" -> switches(sizes.get("tasks"), sizes.get("yields"), Loop.builder());
            case TRACED_SWITCH -> switches(sizes.get("tasks"), sizes.get("yields"), Loop.builder().recorder(Recorder.create()));
            case "spawn" -> spawn(sizes.get("tasks"));
            case "sleepers" -> sleepers(sizes.get("tasks"), Duration.ofMillis(sizes.get("sleep_ms")));
            case "queue" -> queue(sizes.get("capacity"), sizes.get("producers"), sizes.get("consumers"), sizes.get("items"));
            case "lock" -> lock(sizes.get("tasks"), sizes.get("rounds"));
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        };
    }

    /**
     * The {@code switch} workload with a {@link Recorder} of the default capacity attached to the loop
     * (made before the clock starts, as a user makes it once): what recording a trace costs.
     */
    static final String TRACED_SWITCH = "traced_switch";

    private static Map<String, Double> switches(int n, int yields, Loop.Builder options) {
        long t0 = System.nanoTime();
        try (Loop loop = options.build()) {
            loop.run(() -> {
                List<Task<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    tasks.add(Weft.spawn(() -> {
                        for (int j = 0; j < yields; j++) {
                            Weft.yield();
                        }
                    }));
                }
                for (Task<Void> t : tasks) {
                    Weft.await(t);
                }
            });
        }
        return Map.of("switches", (double) n * yields / seconds(t0));
    }

    private static Map<String, Double> spawn(int n) {
        long t0 = System.nanoTime();
        quietRun(() -> {
            List<Task<Boolean>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tasks.add(Weft.spawn(() -> true));
            }
            for (Task<Boolean> t : tasks) {
                Weft.await(t);
            }
        });
        return Map.of("tasks", n / seconds(t0));
    }

    private static Map<String, Double> sleepers(int n, Duration sleep) {
        long t0 = System.nanoTime();
        quietRun(() -> {
            List<Task<Void>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tasks.add(Weft.spawn(() -> Weft.sleep(sleep)));
            }
            for (Task<Void> t : tasks) {
                Weft.await(t);
            }
        });
        return Map.of("wall_s", seconds(t0));
    }

    private static Map<String, Double> queue(int capacity, int producers, int consumers, int n) {
        long t0 = System.nanoTime();
        Weft.run(() -> {
            Queue<Integer> q = Queue.fifo(capacity);
            List<Task<Void>> workers = new ArrayList<>();
            for (int i = 0; i < consumers; i++) {
                workers.add(Weft.spawn(() -> {
                    for (Integer _ : q) {
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

    private static Map<String, Double> lock(int tasks, int rounds) {
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
        return Map.of("acquisitions", (double) tasks * rounds / seconds(t0));
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
