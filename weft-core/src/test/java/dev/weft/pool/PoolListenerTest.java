package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.ExpectsReports;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What a pool tells its {@link PoolListener}. */
class PoolListenerTest {
    /** Writes down every call, one line each. */
    static final class Log implements PoolListener {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void queued(Work work) {
            lines.add("queued " + work.id() + " " + work.name() + " " + work.size());
        }

        @Override
        public void started(Work work, int worker) {
            lines.add("started " + work.id() + " on " + worker);
        }

        @Override
        public void finished(Work work, int worker) {
            lines.add("finished " + work.id() + " on " + worker);
        }

        @Override
        public void failed(Work work, int worker, Throwable failure) {
            lines.add("failed " + work.id() + " on " + worker + ": " + failure.getMessage());
        }

        @Override
        public void workerStarted(int worker) {
            lines.add("worker started " + worker);
        }

        @Override
        public void workerDied(int worker, String cause) {
            lines.add("worker died " + worker + ": " + cause);
        }

        @Override
        public void workerReplaced(int worker) {
            lines.add("worker replaced " + worker);
        }

        List<String> snapshot() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        /** The line that matches {@code regex}, once. */
        String line(String regex) {
            List<String> found = snapshot().stream().filter(Pattern.compile(regex).asMatchPredicate()).toList();
            assertThat(found).as("lines matching %s in %s", regex, snapshot()).hasSize(1);
            return found.get(0);
        }

        int index(String regex) {
            return snapshot().indexOf(line(regex));
        }
    }

    @Test
    void aMapIsSeenChunkByChunkEachQueuedThenStartedThenFinishedOnOneWorker() {
        Log log = new Log();
        try (Pool pool = Pool.threads().workers(2).listener(log).build()) {
            assertThat(pool.map((Integer x) -> x * 10, List.of(1, 2, 3, 4, 5), MapOptions.builder().chunkSize(2).build()))
                    .containsExactly(10, 20, 30, 40, 50);
        }
        for (int id = 1; id <= 3; id++) {
            int size = id == 3 ? 1 : 2;
            int queued = log.index("queued " + id + " lambda in PoolListenerTest x " + size + " " + size);
            int started = log.index("started " + id + " on [12]");
            String worker = log.line("started " + id + " on [12]").substring(("started " + id + " on ").length());
            int finished = log.index("finished " + id + " on " + worker);
            assertThat(queued).isLessThan(started);
            assertThat(started).isLessThan(finished);
        }
        assertThat(log.snapshot()).filteredOn(l -> l.startsWith("worker ")).isNotEmpty()
                .allMatch(l -> l.matches("worker started [12]"));
    }

    @Test
    void aJobThatThrowsIsSeenFailedWithItsFailureBeforeItsFutureFails() {
        Log log = new Log();
        try (Pool pool = Pool.threads().workers(1).listener(log).build()) {
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class);
            log.line("queued 1 lambda in PoolListenerTest 1");
            log.line("failed 1 on 1: boom");
            assertThat(log.snapshot()).noneMatch(l -> l.startsWith("finished"));
        }
    }

    @Test
    @ExpectsReports("the listener that throws is reported")
    void aListenerThatThrowsIsIgnoredFromThenOnAndThePoolGoesOn() {
        AtomicInteger calls = new AtomicInteger();
        PoolListener bad = new PoolListener() {
            @Override
            public void queued(Work work) {
                calls.incrementAndGet();
                throw new IllegalStateException("a broken listener");
            }
        };
        try (Pool pool = Pool.threads().workers(1).listener(bad).build()) {
            assertThat(pool.map((Integer x) -> x + 1, List.of(1, 2, 3), MapOptions.builder().chunkSize(1).build()))
                    .containsExactly(2, 3, 4);
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void aProcessPoolTellsOfAWorkerThatDiedAndOfTheOneThatReplacedIt() {
        Log log = new Log();
        try (Pool pool = Pool.processes().workers(1).listener(log).build()) {
            assertThatThrownBy(() -> pool.apply(() -> {
                System.exit(3);
                return 0;
            })).isInstanceOf(WorkerDiedException.class);
            assertThat(pool.apply(() -> "next")).isEqualTo("next");
        }
        assertThat(log.index("queued 1 lambda in PoolListenerTest 1")).isLessThan(log.index("started 1 on 1"));
        assertThat(log.index("worker started 1")).isLessThan(log.index("started 1 on 1"));
        int died = log.index("worker died 1: worker 1 \\(pid \\d+\\) died while running the task: exit code 3");
        int failed = log.index("failed 1 on 1: worker 1 \\(pid \\d+\\) died while running the task: exit code 3");
        int replaced = log.index("worker replaced 1");
        int next = log.index("started 2 on 1");
        assertThat(died).isLessThan(failed);
        assertThat(failed).isLessThan(next);
        assertThat(replaced).isLessThan(next);
        log.line("finished 2 on 1");
    }
}
