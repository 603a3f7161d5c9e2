package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.DeadlineExceededException;
import dev.weft.ExpectsReports;
import dev.weft.internal.LivePools;
import dev.weft.trace.Recorder;
import dev.weft.trace.Slice;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@code Pool.cluster()} does beyond the contract, on a member in the test's JVM: its builder's
 * checks, task time limits, an initializer that fails, its tracks in traces and its live view.
 */
class ClusterPoolOptionsTest {
    @Test
    void theBuilderRefusesSettingsThatCannotWorkSayingWhy() {
        assertThatThrownBy(() -> Pool.cluster().join(List.of("127.0.0.1:5701")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clusterName");
        assertThatThrownBy(() -> Pool.cluster().clusterName("lab").join(List.of("127.0.0.1:5701")).workers(2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--threads");
        assertThatThrownBy(() -> Pool.cluster().clusterName(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> Pool.cluster().join(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one address");
        assertThatThrownBy(() -> Pool.cluster().retries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pool.cluster().memberWait(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memberWait");
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS) // a task left running on the one thread would hold the next a minute
    void aTaskPastItsTimeoutFailsAndIsInterruptedOnItsMember() {
        try (Pool pool = Pool.cluster().workers(1).taskTimeout(Duration.ofMillis(300)).build()) {
            assertThatThrownBy(() -> pool.apply(() -> {
                Thread.sleep(60_000);
                return 1;
            })).isInstanceOf(DeadlineExceededException.class).hasMessageContaining("interrupted on member 127.0.0.1:");
            assertThat(pool.apply(() -> 2)).as("the member's one thread is free again").isEqualTo(2);
        }
    }

    @Test
    @ExpectsReports("the pool logs that its initializer failed on the member")
    void anInitializerThatFailsOnEveryMemberFailsTheWorkNamingTheMember() {
        try (Pool pool = Pool.cluster().workers(1).initializer(() -> {
            throw new IOException("no database");
        }).build()) {
            assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("initializer failed on member 127.0.0.1:")
                    .rootCause().hasMessage("no database");
        }
    }

    /** Released by the live-view test: its job, on the member in this JVM, waits for it. */
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final CountDownLatch RUNNING = new CountDownLatch(1);

    @Test
    void theLiveViewShowsWhatEachThreadOfEachMemberRuns() throws Exception {
        try (Pool pool = Pool.cluster().workers(2).build()) {
            CompletableFuture<Integer> job = pool.submit(() -> {
                RUNNING.countDown();
                RELEASE.await();
                return 1;
            });
            RUNNING.await();
            try { // released whatever the assertions say: closing the pool waits for the job
                LivePools.View view = LivePools.views().stream()
                        .filter(v -> v.label().endsWith("(cluster, a member in this JVM)")).reduce((a, b) -> b).orElseThrow();
                assertThat(view.workers()).extracting(LivePools.Worker::name)
                        .allMatch(n -> n.matches("member 127\\.0\\.0\\.1:\\d+ thread [12]")).hasSize(2);
                assertThat(view.workers()).extracting(LivePools.Worker::work)
                        .containsExactlyInAnyOrder("lambda in ClusterPoolOptionsTest", "");
            } finally {
                RELEASE.countDown();
            }
            assertThat(job.get()).isEqualTo(1);
        }
    }

    @Test
    void eachThreadOfEachMemberIsATrackOfThePool() {
        Recorder r = Recorder.create(1024);
        try (Recorder.Activation _ = r.activate(); Pool pool = Pool.cluster().workers(2).build()) {
            assertThat(pool.map((Integer x) -> x + 1, List.of(1, 2, 3, 4), MapOptions.builder().chunkSize(1).build()))
                    .containsExactly(2, 3, 4, 5);
        }
        List<Slice> work = r.slices().stream().filter(s -> s.kind() == Slice.Kind.WORK).toList();
        assertThat(work).hasSize(4).allSatisfy(s -> {
            assertThat(s.track().group()).matches("pool \\d+ \\(cluster, a member in this JVM\\)");
            assertThat(s.track().name()).matches("member 127\\.0\\.0\\.1:\\d+ thread [12]");
        });
    }
}
