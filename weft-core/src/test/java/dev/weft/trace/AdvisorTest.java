package dev.weft.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Loop;
import dev.weft.Task;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdvisorTest {
    private static final long T0 = 5_000_000_000L;

    /** The time {@code ms} milliseconds into a synthetic recording. */
    private static long at(long ms) {
        return T0 + ms * 1_000_000;
    }

    private static long ms(long ms) {
        return ms * 1_000_000;
    }

    private static String stallMark(String state, String... frames) {
        StringBuilder b = new StringBuilder("state: " + state + "\nheld the loop for 100 ms (so far) at\n");
        for (String f : frames) {
            b.append("    at ").append(f).append('\n');
        }
        return b.toString();
    }

    @Test
    void tasksWaitingOnReadsAndSleepsWhileTheLoopIdlesAreIoBound() {
        Recorder r = Recorder.create();
        Track a = r.track("loop 1 (main)", "a");
        Track b = r.track("loop 1 (main)", "b");
        a.ran(at(0), at(2));
        b.ready(at(0), at(2));
        b.ran(at(2), at(4));
        b.waited(at(4), at(64), "sleep");
        b.ran(at(64), at(66));
        a.waited(at(2), at(122), "read");
        a.ran(at(122), at(124));

        Summary s = r.summary();

        assertThat(s.verdict()).isEqualTo(Summary.Verdict.IO_BOUND);
        // own time: 8 ms running, 2 ready, 120 reading, 60 sleeping = 190 ms
        assertThat(s.evidence()).isEqualTo("the loop was busy 6% of the time; tasks spent 95% of their time waiting"
                + " on I/O and timers (read 63%, sleep 32%)");
        assertThat(s.loops()).containsExactly(new Summary.LoopUse("loop 1 (main)", ms(124), ms(8), 2));
        assertThat(s.waitNanosByReason()).isEqualTo(Map.of("read", ms(120), "sleep", ms(60)));
        assertThat(s.tasks()).containsExactly(
                new Summary.TaskUse("loop 1 (main)", "a", ms(4), ms(120), 0, Map.of("read", ms(120))),
                new Summary.TaskUse("loop 1 (main)", "b", ms(4), ms(60), ms(2), Map.of("sleep", ms(60))));
        assertThat(s.stalls()).isEmpty();
        assertThat(s.toString()).contains("loop 1 (main): busy 6% of 124 ms, 2 tasks\n",
                "loop 1 (main) / b: ran 4.0 ms, waited 60 ms (sleep 60 ms), ready 2.0 ms\n",
                "waiting by reason: read 120 ms, sleep 60 ms\n")
                .endsWith("\nverdict: I/O-bound: concurrency on one loop fits — " + s.evidence());
    }

    @Test
    void aLoopBusyComputingIsCpuBoundAndNamesTheBusiestTaskAndItsFrame() {
        Recorder r = Recorder.create();
        Track crunch = r.track("loop 2 (main)", "crunch");
        Track tick = r.track("loop 2 (main)", "tick");
        crunch.marked(at(150), "stall", stallMark("RUNNABLE", "java.base/java.lang.Math.sqrt(Math.java:1)",
                "com.acme.Primes.isPrime(Primes.java:12)", "com.acme.Primes.count(Primes.java:20)",
                "dev.weft.Fiber.run(Fiber.java:5)"));
        tick.marked(at(150), "stall", stallMark("WAITING", "com.acme.Elsewhere.x(Elsewhere.java:1)")); // not crunch's
        crunch.ran(at(0), at(300));
        crunch.marked(at(305), "stall", stallMark("BLOCKED", "com.acme.Later.y(Later.java:1)")); // after its turn
        tick.ready(at(0), at(300));
        tick.ran(at(300), at(310));
        tick.waited(at(310), at(320), "sleep");
        tick.ran(at(320), at(330));

        Summary s = r.summary();

        assertThat(s.verdict()).isEqualTo(Summary.Verdict.CPU_BOUND);
        assertThat(s.evidence()).isEqualTo("the loop was busy 97% of the time, mostly in task 'crunch' (94% of it),"
                + " at com.acme.Primes.isPrime(Primes.java:12)");
        assertThat(s.loops().getFirst().busyShare()).isEqualTo(320 / 330.0);
        assertThat(s.stalls()).containsExactly(new Summary.Stall("loop 2 (main)", "crunch", ms(300), false,
                "java.base/java.lang.Math.sqrt(Math.java:1)\ncom.acme.Primes.isPrime(Primes.java:12)\n"
                        + "com.acme.Primes.count(Primes.java:20)\ndev.weft.Fiber.run(Fiber.java:5)"));
        assertThat(s.tasks()).extracting(Summary.TaskUse::task).containsExactly("crunch", "tick");
        assertThat(s.toString()).contains("loop 2 (main): busy 97% of 330 ms, 2 tasks\n",
                """
                long turns (50 ms or more):
                  300 ms in loop 2 (main) / crunch, running
                      at java.base/java.lang.Math.sqrt(Math.java:1)
                      at com.acme.Primes.isPrime(Primes.java:12)
                      at com.acme.Primes.count(Primes.java:20)
                """)
                .doesNotContain("Fiber.run", "Later.y", "Elsewhere.x")
                .endsWith("\nverdict: CPU-bound: move the heavy work to a Pool — " + s.evidence());
    }

    @Test
    void aLongTurnBlockedInACallThatDoesNotSuspendIsBlocking() {
        Recorder r = Recorder.create();
        Track fetch = r.track("loop 3 (main)", "fetch");
        Track other = r.track("loop 3 (main)", "other");
        fetch.marked(at(100), "stall", stallMark("TIMED_WAITING", "java.base/java.lang.Thread.sleep(Thread.java:1)",
                "dev.weft.Weft.run(Weft.java:9)", "com.acme.Client.get(Client.java:40)"));
        fetch.ran(at(0), at(200));
        other.ready(at(0), at(200));
        other.ran(at(200), at(205));
        other.waited(at(205), at(300), "sleep");

        Summary s = r.summary();

        assertThat(s.verdict()).isEqualTo(Summary.Verdict.BLOCKING);
        assertThat(s.evidence()).isEqualTo("1 turn held the loop for 200 ms in all (98% of its busy time) in calls that"
                + " blocked the thread; the longest, 200 ms, in task 'fetch', at com.acme.Client.get(Client.java:40)");
        assertThat(s.stalls()).singleElement().satisfies(st -> {
            assertThat(st.blocking()).isTrue();
            assertThat(st.stack().lines()).hasSize(3);
        });
        assertThat(s.toString()).contains("200 ms in loop 3 (main) / fetch, blocked\n")
                .endsWith("\nverdict: blocking calls hold the loop: wrap them in Weft.toThread — " + s.evidence());
    }

    @Test
    void waitsOnReadsAndOnBusyPoolWorkersAreMixed() {
        Recorder r = Recorder.create();
        Track api = r.track("loop 4 (main)", "api");
        Track w1 = r.track("pool 1", "worker-1");
        Track w2 = r.track("pool 1", "worker-2");
        api.ran(at(0), at(5));
        api.waited(at(5), at(105), "read");
        api.ran(at(105), at(110));
        w2.worked(at(110), at(150), "chunk-2", "java.lang.ArithmeticException: / by zero");
        w2.worked(at(150), at(200), "chunk-3", "");
        w1.worked(at(110), at(205), "chunk-1", "");
        api.waited(at(110), at(210), "pool");
        api.ran(at(210), at(215));

        Summary s = r.summary();

        assertThat(s.verdict()).isEqualTo(Summary.Verdict.MIXED);
        assertThat(s.evidence()).isEqualTo("tasks spent 47% of their time waiting on I/O and timers (read 47%);"
                + " tasks spent 47% of their time waiting on pool results, whose workers were busy 97% of the time;"
                + " the loop was busy 7% of the time");
        assertThat(s.loops()).extracting(Summary.LoopUse::group).containsExactly("loop 4 (main)");
        assertThat(s.workers()).containsExactly(new Summary.WorkerUse("pool 1", "worker-2", ms(90), ms(95), 2, 1),
                new Summary.WorkerUse("pool 1", "worker-1", ms(95), ms(95), 1, 0));
        assertThat(s.workers().getFirst().busyShare()).isEqualTo(90 / 95.0);
        assertThat(s.toString()).contains("""
                pool workers:
                  pool 1 / worker-2: busy 95% of 95 ms, 2 jobs, 1 failed
                  pool 1 / worker-1: busy 100% of 95 ms, 1 job
                """, "waited 200 ms (pool 100 ms, read 100 ms)")
                .endsWith("\nverdict: mixed: keep the I/O on the loop and await the CPU work from a Pool — "
                        + s.evidence());
    }

    @Test
    void tasksWaitingOnAPoolWithoutIoAreCpuBoundWithTheWorkAlreadyOnThePool() {
        Recorder r = Recorder.create();
        Track main = r.track("loop 5 (main)", "main");
        Track w = r.track("pool 2", "worker-1");
        main.ran(at(0), at(2));
        w.worked(at(2), at(100), "sum", "");
        main.waited(at(2), at(100), "pool");
        main.ran(at(100), at(102));

        Summary s = r.summary();

        assertThat(s.verdict()).isEqualTo(Summary.Verdict.CPU_BOUND);
        assertThat(s.evidence()).isEqualTo("tasks spent 96% of their time waiting on pool results, whose workers were"
                + " busy 100% of the time; the loop was busy 4% of the time");
    }

    @Test
    void tooLittleRecordedIsUnknownAndDroppedSlicesAreNoted() {
        assertThat(Recorder.create().summary()).satisfies(s -> {
            assertThat(s.verdict()).isEqualTo(Summary.Verdict.UNKNOWN);
            assertThat(s.evidence()).isEqualTo("no loop's tasks were recorded");
            assertThat(s.toString()).isEqualTo("verdict: too little was recorded to tell — no loop's tasks were recorded");
        });
        Recorder pool = Recorder.create();
        pool.track("pool 3", "worker-1").worked(at(0), at(500), "job", "");
        assertThat(pool.summary().evidence()).isEqualTo("no loop's tasks were recorded, only pool workers");

        Recorder tiny = Recorder.create(2);
        Track t = tiny.track("loop 6 (main)", "t");
        t.ran(at(0), at(1));
        t.waited(at(1), at(2), "sleep");
        t.ran(at(2), at(3));
        t.waited(at(3), at(4), "sleep");
        t.ran(at(4), at(6));
        Summary s = tiny.summary();
        assertThat(s.verdict()).isEqualTo(Summary.Verdict.UNKNOWN);
        assertThat(s.dropped()).isEqualTo(3);
        assertThat(s.evidence()).isEqualTo("the loops were recorded for only 3.0 ms (at least 10 ms is needed)");
        assertThat(s.toString()).contains("note: the recorder's buffer was full and dropped the oldest 3 slices");
    }

    @Test
    void onlyTheFiveLongestTurnsAreKeptButEveryBlockedOneCounts() {
        Recorder r = Recorder.create();
        Track t = r.track("loop 7 (main)", "t");
        long start = 0;
        List<Long> lengths = List.of(60L, 70L, 80L, 90L, 100L, 110L, 49L);
        for (long len : lengths) {
            t.marked(at(start + 1), "stall", stallMark(len == 60 ? "BLOCKED" : "RUNNABLE"));
            t.ran(at(start), at(start + len));
            start += len;
        }
        Summary s = r.summary();
        assertThat(s.stalls()).extracting(st -> st.nanos() / 1_000_000).containsExactly(110L, 100L, 90L, 80L, 70L);
        assertThat(s.verdict()).as("60 ms blocked of 559 ms busy is under a quarter").isEqualTo(Summary.Verdict.CPU_BOUND);
    }

    @Test
    void aRealLoopWhoseTasksSleepConcurrentlyIsIoBound() {
        sleepConcurrently(Loop.builder()); // warm-up: loading classes is not what the recorded loop does
        Recorder r = Recorder.create();
        sleepConcurrently(Loop.builder().recorder(r));
        Summary s = r.summary();
        assertThat(s.verdict()).as(s.toString()).isEqualTo(Summary.Verdict.IO_BOUND);
        assertThat(s.loops()).singleElement().satisfies(l -> assertThat(l.tasks()).isEqualTo(11));
        assertThat(s.waitNanosByReason().get("sleep")).isGreaterThanOrEqualTo(10 * ms(200));
        assertThat(s.tasks()).filteredOn(u -> u.task().startsWith("sleeper-")).hasSize(10)
                .allSatisfy(u -> assertThat(u.waitNanosByReason()).containsKey("sleep"));
    }

    private static void sleepConcurrently(Loop.Builder builder) {
        try (Loop loop = builder.build()) {
            loop.run(() -> {
                List<Task<Void>> sleepers = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    sleepers.add(Weft.spawn("sleeper-" + i, () -> Weft.sleep(Duration.ofMillis(200))));
                }
                sleepers.forEach(Weft::await);
            });
        }
    }
}
