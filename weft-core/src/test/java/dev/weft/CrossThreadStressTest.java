package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Outside threads hammer a running loop on the real clock: they submit tasks, cancel random tasks,
 * and complete futures that tasks await, while tasks sleep, yield and call toThread. Every submitted
 * future must complete exactly as its task ended, and the run must end. The seed is printed; rerun
 * one with {@code -Dweft.seed=N}.
 */
class CrossThreadStressTest {
    private static final int THREADS = 4;
    private static final int SUBMITS_PER_THREAD = 1_500;

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void submitsCancelsAndOutsideCompletionsFromManyThreads() throws Exception {
        long seed = Long.getLong("weft.seed", System.nanoTime());
        System.out.println("CrossThreadStressTest seed=" + seed + " (rerun with -Dweft.seed=" + seed + ")");
        Reports reports = new Reports();
        ConcurrentLinkedQueue<Task<?>> running = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<CompletableFuture<String>> promises = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Integer>> submitted = new CopyOnWriteArrayList<>();
        try (Loop loop = Loop.builder().noStallWatchdog().reporter(reports).build()) {
            loop.run(() -> {
                List<Thread> outsiders = new ArrayList<>();
                for (int k = 0; k < THREADS; k++) {
                    Random r = new Random(seed + k);
                    outsiders.add(Thread.ofPlatform().start(() -> outsider(r, loop, running, promises, submitted)));
                }
                Weft.toThread(() -> {
                    for (Thread t : outsiders) {
                        t.join();
                    }
                });
                // FIFO turns: every task submitted before the outsiders ended was spawned, and reached
                // its first suspension point, before main is resumed here; so all promises exist now.
                CompletableFuture<String> p;
                while ((p = promises.poll()) != null) {
                    p.complete("late"); // release any task still waiting for an outsider
                }
                Weft.await(CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new))
                        .handle((v, e) -> null));
            });
        }
        int ok = 0;
        int cancelled = 0;
        for (int i = 0; i < submitted.size(); i++) {
            CompletableFuture<Integer> f = submitted.get(i);
            assertThat(f).as("seed=" + seed).isDone();
            try {
                assertThat(f.get(0, TimeUnit.SECONDS)).isBetween(0, THREADS * SUBMITS_PER_THREAD);
                ok++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).as("seed=" + seed).isInstanceOf(CancelledException.class);
                cancelled++;
            } catch (CancellationException e) {
                cancelled++;
            }
        }
        assertThat(submitted).hasSize(THREADS * SUBMITS_PER_THREAD);
        assertThat(ok + cancelled).isEqualTo(submitted.size());
        assertThat(ok).as("most tasks succeed, seed=" + seed).isPositive();
        assertThat(reports.all()).as("seed=" + seed).isEmpty();
    }

    private static void outsider(Random r, Loop loop, ConcurrentLinkedQueue<Task<?>> running,
            ConcurrentLinkedQueue<CompletableFuture<String>> promises, List<CompletableFuture<Integer>> submitted) {
        for (int i = 0; i < SUBMITS_PER_THREAD; i++) {
            int id = submitted.size();
            int op = r.nextInt(5);
            submitted.add(loop.submit(() -> {
                running.add(Weft.currentTask());
                switch (op) {
                    case 0 -> Weft.yield();
                    case 1 -> Weft.sleep(Duration.ofNanos(1 + r.nextInt(200_000)));
                    case 2 -> Weft.toThread(() -> Thread.onSpinWait());
                    case 3 -> {
                        CompletableFuture<String> p = new CompletableFuture<>();
                        promises.add(p);
                        Weft.await(p);
                    }
                    default -> { }
                }
                return id;
            }));
            switch (r.nextInt(4)) {
                case 0 -> {
                    Task<?> t = running.poll();
                    if (t != null) {
                        t.cancel("cancelled from an outside thread");
                    }
                }
                case 1 -> {
                    CompletableFuture<String> p = promises.poll();
                    if (p != null) {
                        p.complete("from outside");
                    }
                }
                default -> Thread.onSpinWait();
            }
        }
    }
}
