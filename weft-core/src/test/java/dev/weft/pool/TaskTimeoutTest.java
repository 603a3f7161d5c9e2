package dev.weft.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.DeadlineExceededException;
import dev.weft.Loop;
import dev.weft.Weft;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pool's {@code taskTimeout} on both backends: a task past it fails with Weft's one "too long"
 * exception, {@link DeadlineExceededException}, naming the option; the clock starts when a worker
 * starts the task, not while it waits in the queue.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskTimeoutTest {
    /**
     * Long enough for a quick task's first run in a fresh worker JVM (class loading, on a busy
     * machine): a tighter limit fails the quick tasks too.
     */
    private static final Duration LIMIT = Duration.ofSeconds(2);

    private static Pool.Builder<?> backend(String name) {
        return name.equals("threads") ? Pool.threads() : Pool.processes();
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "processes"})
    void aTaskPastTheTimeoutFailsWithDeadlineExceededNamingTheOption(String backend, @TempDir Path dir) {
        Gate never = Gate.at(dir.resolve("never"));
        Pool pool = backend(backend).workers(2).taskTimeout(LIMIT).build(); // a thread past its limit runs on: one each
        try {
            Job<Integer> endless = () -> {
                never.pass(); // runs until the pool ends it
                return 1;
            };
            assertThatThrownBy(() -> pool.apply(endless)).isInstanceOf(DeadlineExceededException.class)
                    .hasMessageContaining("ran longer than the pool's taskTimeout (PT2S)");
            try (Loop loop = Loop.builder().build()) {
                assertThatThrownBy(() -> loop.run(() -> Weft.await(pool.submit(endless))))
                        .isInstanceOf(DeadlineExceededException.class);
            }
        } finally {
            pool.terminate();
        }
    }

    /**
     * The only worker is held by a task past the limit (whose own future fails at the limit) while a
     * quick one waits in the queue behind it: the quick one must run and succeed, however long it
     * waited. (Before, the thread pool started the clock at submit: the quick one failed unrun.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"threads", "processes"})
    void theTimeATaskWaitsInTheQueueDoesNotCount(String backend) {
        Pool pool = backend(backend).workers(1).taskTimeout(LIMIT).build();
        try {
            CompletableFuture<Integer> slow = pool.submit(() -> {
                Thread.sleep(3 * LIMIT.toMillis()); // the work: longer than the limit
                return 1;
            });
            CompletableFuture<Integer> quick = pool.submit(() -> 2);
            assertThat(pool.apply(() -> 3)).isEqualTo(3);
            assertThat(quick.join()).isEqualTo(2);
            assertThat(slow.handle((v, e) -> e).join()).isInstanceOf(DeadlineExceededException.class);
        } finally {
            pool.terminate();
        }
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose
    void theTimeoutMustBePositiveAndNotNull() {
        assertThatThrownBy(() -> Pool.threads().taskTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("taskTimeout must be positive, got PT0S");
        assertThatThrownBy(() -> Pool.processes().taskTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("taskTimeout must be positive, got PT-1S");
        assertThatThrownBy(() -> Pool.threads().taskTimeout(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("timeout");
    }

    @Test
    void aProcessWorkerPastTheTimeoutIsKilledAndReplaced() {
        try (Pool pool = Pool.processes().workers(1).taskTimeout(LIMIT).build()) {
            long first = pool.apply(() -> ProcessHandle.current().pid());
            CompletableFuture<Long> slow = pool.submit(() -> {
                Thread.sleep(60_000); // the work: far past the limit
                return 0L;
            });
            assertThat(slow.handle((v, e) -> e).join()).isInstanceOf(DeadlineExceededException.class)
                    .hasMessageContaining("its worker was killed and replaced");
            long after = pool.apply(() -> ProcessHandle.current().pid());
            assertThat(after).isNotEqualTo(first);
            assertThat(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    @Test
    void anInitializerPastTheTimeoutFailsTheTaskInsteadOfHanging(@TempDir Path dir) {
        Gate never = Gate.at(dir.resolve("never"));
        try (Pool pool = Pool.processes().workers(1).taskTimeout(LIMIT).initializer(() -> {
            never.pass();
            return true;
        }).build()) {
            assertThatThrownBy(() -> pool.apply(() -> 1)).isInstanceOf(DeadlineExceededException.class)
                    .hasMessageContaining("the initializer of worker 1 ran longer than the pool's taskTimeout (PT2S)");
        }
    }
}
