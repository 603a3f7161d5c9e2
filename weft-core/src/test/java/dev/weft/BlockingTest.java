package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Test;

/** toThread and waiting for futures completed outside the loop. */
class BlockingTest {
    private final Reports reports = new Reports();

    @Test
    void toThreadRunsOnAnotherThreadWhileTheLoopRunsOtherTasks() throws Exception {
        CountDownLatch loopRan = new CountDownLatch(1);
        String result = reports.run(() -> {
            Task<Void> other = Weft.spawn(loopRan::countDown);
            String onThread = Weft.toThread(() -> {
                loopRan.await(); // would deadlock if toThread held the loop
                return Thread.currentThread().getName();
            });
            Weft.await(other);
            return onThread;
        });
        assertThat(result).startsWith("weft-to-thread-");
    }

    @Test
    void toThreadRethrowsTheBodysExceptionAsItWas() {
        IOException e = new IOException("disk");
        assertThatThrownBy(() -> reports.run(() -> Weft.toThread(() -> {
            throw e;
        }))).isSameAs(e);
    }

    @Test
    void cancellingATaskInToThreadInterruptsTheCall() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        reports.run(() -> {
            Task<Void> t = Weft.spawn(() -> Weft.toThread(() -> {
                started.countDown();
                try {
                    Thread.sleep(Duration.ofMinutes(5));
                    interrupted.complete(false);
                } catch (InterruptedException ie) {
                    interrupted.complete(true);
                }
            }));
            Weft.toThread(() -> started.await());
            t.cancel();
            assertThatThrownBy(() -> Weft.await(t)).isInstanceOf(TaskCancelledException.class);
            assertThat(Weft.await(interrupted)).isTrue();
        });
    }

    @Test
    void virtualTimeStandsStillWhileATaskWaitsForAnotherThread() throws Exception {
        reports.run(() -> {
            Task<Void> sleeper = Weft.spawn(() -> Weft.sleep(Duration.ofHours(1)));
            Weft.toThread(() -> Thread.sleep(50));
            assertThat(Weft.nanoTime()).isZero();
            sleeper.cancel();
        });
    }

    @Test
    void awaitOfAFutureCompletedByAnotherThread() {
        reports.run(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> f.complete("hello"));
            assertThat(Weft.await(f)).isEqualTo("hello");

            CompletableFuture<String> failed = CompletableFuture.supplyAsync(() -> {
                throw new IllegalArgumentException("nope");
            });
            assertThatThrownBy(() -> Weft.await(failed)).isInstanceOf(IllegalArgumentException.class);

            CompletableFuture<String> checked = CompletableFuture.failedFuture(new IOException("io"));
            assertThatThrownBy(() -> Weft.await(checked)).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(IOException.class);

            CompletableFuture<String> cancelled = new CompletableFuture<>();
            cancelled.cancel(true);
            assertThatThrownBy(() -> Weft.await(cancelled)).isInstanceOf(TaskCancelledException.class);
        });
    }

    @Test
    void awaitOfAPlainFutureDoesNotHoldTheLoop() throws Exception {
        var pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch gate = new CountDownLatch(1);
            FutureTask<String> plain = new FutureTask<>(() -> {
                gate.await();
                return "plain";
            });
            pool.execute(plain);
            String got = reports.run(() -> {
                Weft.spawn(gate::countDown);
                return Weft.await((java.util.concurrent.Future<String>) plain);
            });
            assertThat(got).isEqualTo("plain");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancellationWhileAwaitingAFutureLeavesTheFutureAlone() {
        reports.run(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            Task<String> t = Weft.spawn(() -> Weft.await(f));
            Weft.yield();
            t.cancel();
            assertThatThrownBy(() -> Weft.await(t)).isInstanceOf(TaskCancelledException.class);
            assertThat(f).isNotDone();
        });
    }

    @Test
    void toThreadAlwaysLetsTheOtherReadyTasksRunEvenWhenTheBodyIsDoneAtOnce() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            for (int i = 0; i < 50; i++) { // some bodies finish before the task could wait for them
                int n = i;
                Weft.spawn(() -> log.add("other " + n));
                Weft.toThread(() -> {});
                assertThat(log).as("round %d", n).contains("other " + n);
            }
        });
    }
}
