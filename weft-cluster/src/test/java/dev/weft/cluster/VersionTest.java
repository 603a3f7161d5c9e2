package dev.weft.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.weft.ExpectsReports;
import dev.weft.pool.ClusterBackend;
import dev.weft.pool.Pool;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One Weft version per cluster: a worker refuses to join a cluster whose member runs another, and a
 * pool gives such a member no work. The other member runs in the test's JVM, as a worker would but
 * for its version.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VersionTest {
    private static final String OTHER = "0.0.1-elsewhere";

    /** A member of {@code cluster} that says it runs Weft {@link #OTHER}. */
    private static HazelcastInstance otherVersion(String cluster) {
        Config c = Configs.member(cluster, "127.0.0.1", 5821, List.of(), 1, VersionTest.class.getClassLoader());
        c.getMemberAttributeConfig().setAttribute(Configs.VERSION, OTHER);
        return Hazelcast.newHazelcastInstance(c);
    }

    private static String address(HazelcastInstance hz) {
        return Members.name(hz.getCluster().getLocalMember());
    }

    @Test
    void aWorkerRefusesToJoinAClusterOfAnotherWeftVersionSayingBoth() throws InterruptedException {
        String cluster = "version-" + UUID.randomUUID();
        HazelcastInstance other = otherVersion(cluster);
        try {
            assertThatThrownBy(() -> Worker.builder().clusterName(cluster).port(5831).join(List.of(address(other))).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("runs Weft " + ClusterBackend.weftVersion())
                    .hasMessageContaining("refuses to join cluster '" + cluster + "'")
                    .hasMessageContaining(address(other) + " runs Weft " + OTHER);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // the other member hears of it soon after
            while (other.getCluster().getMembers().size() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(other.getCluster().getMembers()).as("the worker left again").hasSize(1);
        } finally {
            other.shutdown();
        }
    }

    @Test
    @ExpectsReports("the pool warns that the member runs another Weft and gets no work")
    void aPoolGivesAMemberOfAnotherVersionNoWorkAndSaysSo() {
        String cluster = "version-" + UUID.randomUUID();
        HazelcastInstance other = otherVersion(cluster);
        try (Pool pool = Pool.cluster().clusterName(cluster).join(List.of(address(other)))
                .memberWait(Duration.ofSeconds(2)).build()) {
            assertThat(pool.workers()).isZero();
            assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no member of the cluster able to run work");
        } finally {
            other.shutdown();
        }
    }
}
