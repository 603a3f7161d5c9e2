package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Regressions for bugs found in review; each test names the bug it pins. */
class ReviewRegressionTest {
    private final Reports reports = new Reports();

    /** The driver parked without limit when a timer came due between two clock reads. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void manyTinyRealTimeSleepsNeverHangTheDriver() {
        try (Loop loop = Loop.builder().stallThreshold(null).reporter(reports).build()) {
            int done = loop.run(() -> {
                java.util.Random r = new java.util.Random(1);
                for (int i = 0; i < 2_000; i++) {
                    Weft.sleep(Duration.ofNanos(1_000 + r.nextInt(40_000)));
                }
                return 2_000;
            });
            assertThat(done).isEqualTo(2_000);
        }
    }

    /** An Error thrown by a done callback killed the task's thread while it held the turn. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void anErrorInADoneCallbackIsReportedAndTheRunGoesOn() {
        String got = reports.run(() -> {
            Task<Integer> t = Weft.spawn(() -> 1);
            t.onDone(x -> {
                throw new AssertionError("callback assertion");
            });
            Weft.await(t);
            Weft.sleep(Duration.ofSeconds(1));
            return "went on";
        });
        assertThat(got).isEqualTo("went on");
        assertThat(reports.all()).singleElement().satisfies(r ->
                assertThat(r.cause()).isInstanceOf(AssertionError.class));
    }

    /** A task spawned by a leftover's cleanup, after main ended, was never cancelled. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void tasksSpawnedAfterMainEndedAreCancelled() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            Weft.spawn("leftover", () -> {
                try {
                    Weft.sleep(Duration.ofDays(1));
                } finally {
                    Task<Void> late = Weft.spawn("late", () -> {
                        log.add("late ran");
                        Weft.sleep(Duration.ofDays(1));
                    });
                    late.onDone(t -> log.add("late cancelled: " + t.isCancelled()));
                }
            });
            Weft.yield();
        });
        assertThat(log).containsExactly("late cancelled: true");
    }

    /** Timed-out Tasks.wait calls left their callbacks on the task they watched. */
    @Test
    void waitReleasesItsCallbacks() throws Exception {
        java.lang.reflect.Field callbacks = Class.forName("dev.weft.internal.Fiber").getDeclaredField("callbacks");
        callbacks.setAccessible(true);
        reports.run(() -> {
            Task<Void> longLived = Weft.spawn(() -> Weft.sleep(Duration.ofHours(1)));
            for (int i = 0; i < 1_000; i++) {
                Tasks.wait(List.of(longLived), WaitMode.ALL_COMPLETED, Duration.ofMillis(1));
            }
            var it = Tasks.asCompleted(List.of(longLived), Duration.ofMillis(1)).iterator();
            assertThatThrownBy(it::next).isInstanceOf(DeadlineExceededException.class);
            assertThat(callbacks.get(longLived)).isNull();
            longLived.cancel();
        });
    }

    /** Rescheduling a closed timeout re-armed its timer, which hid a deadlock for the timer's length. */
    @Test
    void aClosedTimeoutCannotBeRescheduled() {
        long[] detectedAt = {-1};
        assertThatThrownBy(() -> reports.run(() -> {
            Timeout t = Weft.timeout(Duration.ofSeconds(1));
            t.close();
            assertThatThrownBy(() -> t.reschedule(Duration.ofDays(365))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            @SuppressWarnings("unchecked")
            Task<Void>[] x = new Task[2];
            x[0] = Weft.spawn(() -> {
                try {
                    Weft.await(x[1]);
                } finally {
                    detectedAt[0] = Weft.nanoTime();
                }
            });
            x[1] = Weft.spawn(() -> Weft.await(x[0]));
            Weft.await(x[0]);
        })).isInstanceOf(DeadlockException.class);
        assertThat(detectedAt[0]).as("no stale timer delayed the diagnosis").isZero();
    }

    /** Awaiting a task of another loop marked its failure observed before the wait succeeded. */
    @Test
    void aCrossLoopAwaitThatGivesUpDoesNotObserveTheFailure() throws Exception {
        CompletableFuture<Task<Object>> shared = new CompletableFuture<>();
        CompletableFuture<Void> gaveUp = new CompletableFuture<>();
        Reports loopA = new Reports();
        Thread a = Thread.ofPlatform().start(() -> {
            try (Loop loop = Loop.builder().stallThreshold(null).reporter(loopA).build()) {
                loop.run(() -> {
                    Task<Object> t = Weft.spawn("doomed", () -> {
                        Weft.await(gaveUp);
                        throw new IllegalStateException("late failure");
                    });
                    shared.complete(t);
                    Tasks.wait(List.of(t), WaitMode.ALL_COMPLETED, null); // waits without observing
                });
            }
        });
        try (Loop loop = Loop.builder().stallThreshold(null).reporter(reports).build()) {
            loop.run(() -> {
                Task<Object> t = Weft.await(shared);
                assertThatThrownBy(() -> Weft.withTimeout(Duration.ofMillis(20), () -> Weft.await(t)))
                        .isInstanceOf(DeadlineExceededException.class);
                gaveUp.complete(null);
            });
        }
        a.join();
        assertThat(loopA.messages()).anySatisfy(m -> assertThat(m).contains("task 'doomed' failed and nobody observed"));
    }

    /** A body cancelled from outside made firstSuccess throw a CancelledException at its caller. */
    @Test
    void firstSuccessCountsABodyCancelledFromOutsideAsAFailure() {
        reports.run(() -> {
            List<Task<?>> victim = new ArrayList<>();
            Weft.spawn(() -> {
                Weft.sleep(Duration.ofSeconds(1));
                victim.get(0).cancel("from outside");
            });
            Body<String, RuntimeException> cancelled = () -> {
                victim.add(Weft.currentTask());
                Weft.sleep(Duration.ofHours(1));
                return "never";
            };
            Body<String, RuntimeException> second = () -> {
                Weft.sleep(Duration.ofSeconds(2));
                return "second";
            };
            assertThat(Tasks.firstSuccess(List.of(cancelled, second))).isEqualTo("second");
        });
    }
}
