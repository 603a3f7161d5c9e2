package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * 100,000 tasks doing random sleeps, yields, spawns (free and in groups), cancels, timeouts, awaits
 * and failures on a virtual-clock loop, checking the contract's invariants. The seed is printed;
 * rerun one with {@code -Dweft.seed=N}.
 */
class StressTest {
    private static final int TASKS = 100_000;

    private final Reports reports = new Reports();
    private Random random = new Random(); // replaced by a seeded one in the test
    private int budget = TASKS;
    private final List<Task<?>> live = new ArrayList<>();
    private final Set<String> failedNames = new HashSet<>();
    private final Set<String> observedNames = new HashSet<>();
    private final List<Thread> threads = new ArrayList<>();
    private int active;
    private int violations;

    /** Checks the turn from the loop's side: one holder at a time; every task ends exactly once. */
    private final class Invariants implements TaskListener {
        @Nullable Task<?> holder;
        final Map<Task<?>, Integer> finished = new HashMap<>();
        final Set<Task<?>> spawned = new HashSet<>();

        @Override
        public void spawned(Task<?> task, Optional<Task<?>> parent) {
            if (!spawned.add(task)) {
                violations++;
            }
        }

        @Override
        public void resumed(Task<?> task) {
            if (holder != null) {
                violations++;
            }
            holder = task;
        }

        @Override
        public void suspended(Task<?> task, WaitReason reason, Object waitingFor) {
            release(task);
        }

        @Override
        public void finished(Task<?> task) {
            release(task);
            finished.merge(task, 1, Integer::sum);
        }

        private void release(Task<?> task) {
            if (holder != task) {
                violations++;
            }
            holder = null;
        }
    }

    @Test
    @ExpectsReports("the random failures of tasks nobody awaits, checked against the model")
    void invariantsHoldUnderRandomLoad() throws Exception {
        long seed = Long.getLong("weft.seed", System.nanoTime());
        System.out.println("StressTest seed=" + seed + " (rerun with -Dweft.seed=" + seed + ")");
        random = new Random(seed);
        Invariants inv = new Invariants();
        try (Loop loop = Loop.builder().virtualClock().noStallWatchdog().listener(inv).reporter(reports).build()) {
            loop.run(() -> {
                while (budget > 0) {
                    List<Task<?>> wave = new ArrayList<>();
                    for (int i = 0; i < 200 && budget > 0; i++) {
                        wave.add(spawnFree());
                    }
                    for (Task<?> t : wave) {
                        awaitObserving(t);
                    }
                }
            });
        }
        String context = "seed=" + seed;
        assertThat(violations).as("turn or spawn violations, " + context).isZero();
        assertThat(inv.spawned).as(context).hasSize(TASKS + 1);
        assertThat(inv.finished.keySet()).as("every task ended, " + context).isEqualTo(inv.spawned);
        assertThat(inv.finished.values()).as("ended exactly once, " + context).allMatch(n -> n == 1);
        Set<String> reported = new HashSet<>();
        for (Reports.Report r : reports.all()) {
            assertThat(r.message()).as(context).contains("nobody observed");
            String name = r.message().substring(r.message().indexOf('\'') + 1, r.message().indexOf("' failed"));
            assertThat(reported.add(name)).as("reported once: " + name + ", " + context).isTrue();
        }
        for (String f : failedNames) {
            assertThat(observedNames.contains(f) || reported.contains(f))
                    .as("failure of " + f + " observed or reported, " + context).isTrue();
        }
        Set<String> both = new HashSet<>(reported);
        both.retainAll(observedNames);
        assertThat(both).as("observed failures are not reported, " + context).isEmpty();
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(10));
            assertThat(t.isAlive()).as("virtual thread left behind, " + context).isFalse();
        }
    }

    private Task<?> spawnFree() {
        budget--;
        String name = "t" + budget;
        Task<?> t = Weft.spawn(name, () -> body(name, 0));
        live.add(t);
        return t;
    }

    private void awaitObserving(Task<?> t) {
        try {
            Weft.await(t);
        } catch (TaskFailedException e) {
            observe(e);
        } catch (TaskCancelledException e) { // the awaited task's cancellation, not ours
            assertThat(((Outcome.Cancelled<?>) t.outcome()).exception()).isSameAs(e.getCause());
        }
    }

    private void observe(@Nullable Throwable e) {
        if (e instanceof TaskFailedException f) {
            observedNames.add(f.taskName());
            for (Throwable s : f.getSuppressed()) {
                observe(s);
            }
            observe(f.getCause());
        }
    }

    /** One segment of task code between suspension points: checks that nobody else runs meanwhile. */
    private void segment() {
        if (++active != 1) {
            violations++;
        }
        active--;
    }

    private Object body(String name, int depth) {
        threads.add(Thread.currentThread());
        int steps = 1 + random.nextInt(5);
        for (int i = 0; i < steps; i++) {
            segment();
            switch (random.nextInt(10)) {
                case 0, 1 -> Weft.sleep(Duration.ofMillis(random.nextInt(100)));
                case 2 -> Weft.yield();
                case 3 -> {
                    if (budget > 0 && depth < 4) {
                        budget--;
                        String child = name + "." + budget;
                        Task<?> t = Weft.spawn(child, () -> body(child, depth + 1));
                        live.add(t);
                        if (random.nextBoolean()) {
                            awaitObserving(t);
                        }
                    }
                }
                case 4 -> {
                    if (!live.isEmpty()) {
                        live.get(random.nextInt(live.size())).cancel("random cancel");
                    }
                }
                case 5 -> {
                    try {
                        Weft.withTimeout(Duration.ofMillis(random.nextInt(50)),
                                () -> Weft.sleep(Duration.ofMillis(random.nextInt(100))));
                    } catch (DeadlineExceededException expected) {
                        segment();
                    }
                }
                case 6 -> group(name, depth);
                case 7 -> {
                    if (random.nextInt(4) == 0) {
                        failedNames.add(name);
                        throw new IllegalStateException("random failure in " + name);
                    }
                }
                default -> segment();
            }
        }
        return name;
    }

    private void group(String name, int depth) {
        if (budget < 3 || depth >= 4) {
            return;
        }
        boolean supervisor = random.nextBoolean();
        List<Task<?>> children = new ArrayList<>();
        try (TaskGroup g = supervisor ? TaskGroup.supervisor() : TaskGroup.open()) {
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                budget--;
                String child = name + "/" + budget;
                children.add(g.spawn(child, () -> body(child, depth + 1)));
            }
            g.join();
            for (Task<?> c : children) { // a supervisor's failures are the block's to observe, before close
                if (c.outcome() instanceof Outcome.Failure<?>) {
                    observedNames.add(c.name());
                }
            }
        } catch (TaskFailedException e) {
            observe(e);
        }
    }
}
