package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.pool.Pool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The live view ({@code weft ps}) shows each open pool's workers and what they run, then forgets the pool once it has ended. */
class PoolLiveViewTest {
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final CountDownLatch RUNNING = new CountDownLatch(1);

    @Test
    void anOpenPoolShowsWhatEachWorkerRunsAndForHowLong() throws Exception {
        String label;
        try (Pool pool = Pool.threads().workers(2).build()) {
            CompletableFuture<Integer> job = pool.submit(() -> {
                RUNNING.countDown();
                RELEASE.await();
                return 1;
            });
            RUNNING.await();
            try { // released whatever the assertions say: closing the pool waits for the job
                String table = LiveView.view("table", 0);
                assertThat(table).containsPattern("pool \\d+ \\(threads, 2 workers\\): \\d worker\\(s\\), 1 busy")
                        .containsPattern("WORKER +RUNNING +FOR")
                        .containsPattern("worker \\d +lambda in PoolLiveViewTest +\\d");
                assertThat(LiveView.view("tree", 0)).contains("lambda in PoolLiveViewTest");
                assertThat(LiveView.view("json", 0)).containsPattern("\"pools\": \\[\\n\\{\"pool\": \"pool \\d+ \\(threads, 2 workers\\)\"")
                        .containsPattern("\"running\": \"lambda in PoolLiveViewTest\", \"forNanos\": \\d+");
                label = table.lines().filter(l -> l.startsWith("pool ")).findFirst().orElseThrow().replaceAll(":.*", "");
            } finally {
                RELEASE.countDown();
            }
            assertThat(job.get()).isEqualTo(1);
        }
        assertThat(LiveView.view("table", 0)).doesNotContain(label + ":");
    }
}
