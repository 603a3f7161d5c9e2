package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.DeadlineExceededException;
import dev.weft.ExpectsReports;
import dev.weft.trace.Recorder;
import dev.weft.trace.Slice;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@code Pool.cluster()} does beyond the contract, on a member in the test's JVM: its builder's
 * checks, task time limits, an initializer that fails, and its tracks in traces.
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
