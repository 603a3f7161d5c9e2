package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Loop;
import dev.weft.Weft;
import dev.weft.trace.Recorder;
import dev.weft.trace.Slice;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A pool's tracks in the recorders recording while it works, and a task waiting for a pool. */
class PoolTraceTest {
    private static List<Slice> of(Recorder r, Slice.Kind kind) {
        return r.slices().stream().filter(s -> s.kind() == kind).toList();
    }

    @Test
    void aThreadPoolRecordsAWorkSlicePerChunkOrJobOnItsWorkersTracks() {
        Recorder r = Recorder.create(1024);
        try (Recorder.Activation _ = r.activate(); Pool pool = Pool.threads().workers(2).build()) {
            pool.map((Integer x) -> x, List.of(1, 2, 3, 4), MapOptions.builder().chunkSize(2).build());
            assertThatThrownBy(() -> pool.apply(() -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class);
        }
        List<Slice> work = of(r, Slice.Kind.WORK);
        assertThat(work).hasSize(3).allSatisfy(s -> {
            assertThat(s.track().group()).matches("pool \\d+ \\(threads, 2 workers\\)");
            assertThat(s.track().name()).matches("worker [12]");
            assertThat(s.end()).isGreaterThanOrEqualTo(s.start());
        });
        assertThat(work).filteredOn(s -> s.label().equals("lambda in PoolTraceTest x 2")).hasSize(2)
                .allSatisfy(s -> assertThat(s.detail()).isEmpty());
        assertThat(work).filteredOn(s -> s.label().equals("lambda in PoolTraceTest")).singleElement()
                .satisfies(s -> assertThat(s.detail()).isEqualTo("java.lang.IllegalStateException: boom"));
        assertThat(work.stream().map(s -> s.track().group()).distinct()).hasSize(1);
    }

    @Test
    void aPoolBuiltBeforeALoopRunsRecordsIntoThatLoopsRecorderWhileItRuns() {
        Recorder r = Recorder.create(1024);
        try (Pool pool = Pool.threads().workers(1).build(); Loop loop = Loop.builder().recorder(r).build()) {
            pool.apply(() -> "before any recording");
            loop.run(() -> Weft.await(pool.submit(() -> {
                Thread.sleep(50); // the loop's task waits for it
                return "while the loop runs";
            })));
            pool.apply(() -> "after the run");
        }
        assertThat(of(r, Slice.Kind.WORK)).singleElement()
                .satisfies(s -> assertThat(s.track().group()).matches("pool \\d+ \\(threads, 1 worker\\)"));
        assertThat(of(r, Slice.Kind.WAIT)).anySatisfy(s -> assertThat(s.label()).isEqualTo("pool"));
    }

    @Test
    void aProcessPoolMarksAWorkerThatDiedAndItsReplacementOnTheSameTrack() {
        Recorder r = Recorder.create(1024);
        try (Recorder.Activation _ = r.activate(); Pool pool = Pool.processes().workers(1).build()) {
            assertThatThrownBy(() -> pool.apply(() -> {
                System.exit(3);
                return 0;
            })).isInstanceOf(WorkerDiedException.class);
            assertThat(pool.apply(() -> "next")).isEqualTo("next");
        }
        List<Slice> marks = of(r, Slice.Kind.MARK);
        assertThat(marks).extracting(Slice::label).containsExactly("worker died", "worker replaced");
        assertThat(marks.get(0).detail()).contains("exit code 3");
        List<Slice> work = of(r, Slice.Kind.WORK);
        assertThat(work).extracting(Slice::detail).satisfiesExactly(
                d -> assertThat(d).startsWith(WorkerDiedException.class.getName()).contains("exit code 3"),
                d -> assertThat(d).isEmpty());
        assertThat(r.slices()).allSatisfy(s -> {
            assertThat(s.track().group()).matches("pool \\d+ \\(processes, 1 worker\\)");
            assertThat(s.track().name()).isEqualTo("worker 1");
        });
    }

    @Test
    void aTaskAwaitingAPoolResultIsRecordedWaitingForThePool() throws Exception {
        Recorder r = Recorder.create(1024);
        CountDownLatch release = new CountDownLatch(1);
        try (Pool pool = Pool.threads().workers(1).build(); Loop loop = Loop.builder().noStallWatchdog().recorder(r).build()) {
            int v = loop.run(() -> {
                var _ = Weft.spawn("releaser", release::countDown); // runs once main waits for the pool
                return Weft.await(pool.submit(() -> {
                    release.await();
                    return 7;
                }));
            });
            assertThat(v).isEqualTo(7);
        }
        assertThat(of(r, Slice.Kind.WAIT)).anySatisfy(s -> {
            assertThat(s.track().name()).startsWith("main");
            assertThat(s.label()).isEqualTo("pool");
        });
    }
}
