package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Regressions for bugs found in review; each test names the bug it pins. */
class ReviewRegressionTest {
    private final Reports reports = new Reports();

    /** The driver parked without limit when a timer came due between two clock reads. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void manyTinyRealTimeSleepsNeverHangTheDriver() {
        try (Loop loop = Loop.builder().noStallWatchdog().reporter(reports).build()) {
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
    // The leak is only visible as memory; reachability through the GC proved unreliable (the JDK may
    // hold a terminated virtual thread for a while), so this reads the task's callback list directly.
    @Test
    void waitReleasesItsCallbacks() throws Exception {
        java.lang.reflect.Field callbacks = Class.forName("dev.weft.Fiber").getDeclaredField("callbacks");
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
            try (Loop loop = Loop.builder().noStallWatchdog().reporter(loopA).build()) {
                loop.run(() -> {
                    Task<Object> t = Weft.spawn("doomed", () -> {
                        Weft.await(gaveUp);
                        throw new IllegalStateException("late failure");
                    });
                    shared.complete(t);
                    Tasks.wait(List.of(t), WaitMode.ALL_COMPLETED); // waits without observing
                });
            }
        });
        try (Loop loop = Loop.builder().noStallWatchdog().reporter(reports).build()) {
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

    /** join() threw the group's failure before the cancelled siblings had ended. */
    @Test
    void joinThrowsOnlyAfterTheCancelledSiblingsEnded() {
        reports.run(() -> {
            Task<Void> sibling;
            try (TaskGroup g = TaskGroup.open()) {
                sibling = g.spawn(() -> {
                    try {
                        Weft.sleep(Duration.ofHours(1));
                    } finally {
                        Weft.withShield(() -> Weft.sleep(Duration.ofSeconds(1)));
                    }
                });
                g.spawn(() -> {
                    throw new IllegalStateException("first");
                });
                try {
                    g.join();
                } catch (TaskFailedException e) {
                    assertThat(sibling.isDone()).isTrue();
                    throw e;
                }
            } catch (TaskFailedException expected) {
                assertThat(expected.getCause()).hasMessage("first");
            }
        });
    }

    /** Cleanup that waited inside a failed group failed with "Self-suppression not permitted". */
    @Test
    void waitingCleanupInAFailedGroupAttachesItsExceptionInsteadOfFailing() {
        reports.run(() -> {
            AutoCloseable waitingResource = () -> Weft.yield();
            assertThatThrownBy(() -> {
                try (TaskGroup g = TaskGroup.open(); AutoCloseable _ = waitingResource) {
                    g.spawn(() -> {
                        throw new IllegalStateException("boom");
                    });
                    Weft.sleep(Duration.ofHours(1));
                }
            }).isInstanceOf(TaskFailedException.class).hasCauseInstanceOf(IllegalStateException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                            .isInstanceOf(TaskFailedException.class));
        });
    }

    /** A block ended by its timeout got an "End the block with join()" error attached. */
    @Test
    void aBlockEndedByATimeoutIsNotBlamedForMissingJoin() {
        reports.run(() -> {
            assertThatThrownBy(() -> Weft.withTimeout(Duration.ofSeconds(1), () -> Tasks.firstSuccess(
                    List.<Body<String, RuntimeException>>of(() -> {
                        Weft.sleep(Duration.ofHours(1));
                        return "late";
                    })))).isInstanceOf(DeadlineExceededException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
        });
    }

    /** Tasks handed in with Loop.submit were reported to listeners with a random parent. */
    @Test
    void submittedTasksHaveNoParent() {
        List<String> parents = new ArrayList<>();
        dev.weft.TaskListener l = new dev.weft.TaskListener() {
            @Override
            public void spawned(Task<?> task, Task<?> parent) {
                parents.add(task.name() + "<-" + (parent == null ? "-" : parent.name()));
            }
        };
        try (Loop loop = Loop.builder().noStallWatchdog().listener(l).reporter(reports).build()) {
            loop.run(() -> {
                Weft.spawn("spinner", () -> Weft.sleep(Duration.ofMillis(50)));
                CompletableFuture<Integer> f = Weft.toThread(() -> loop.submit(() -> 1));
                Weft.await(f);
            });
        }
        assertThat(parents).contains("main<--", "spinner<-main").anySatisfy(p -> assertThat(p).matches("Task-\\d+<--"));
    }

    /** A timeout whose deadline passed, before its timer fired, could still be rescheduled. */
    @Test
    void aTimeoutWhoseDeadlinePassedIsExpiredAtOnce() {
        try (Loop loop = Loop.builder().noStallWatchdog().reporter(reports).build()) {
            loop.run(() -> {
                Timeout t = Weft.timeout(Duration.ofMillis(1));
                try (t) {
                    long end = System.nanoTime() + 5_000_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait(); // the deadline passes without a suspension point
                    }
                    assertThat(t.expired()).isTrue();
                    assertThatThrownBy(() -> t.reschedule(Duration.ofHours(1))).isInstanceOf(IllegalStateException.class);
                    Weft.yield();
                    throw new AssertionError("not timed out");
                } catch (DeadlineExceededException e) {
                    assertThat(e.isFrom(t)).isTrue();
                }
            });
        }
    }

    /** A cancelled await of a plain Future left its helper thread blocked in get(). */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void cancellingAnAwaitOfAPlainFutureInterruptsItsHelperThread() throws Exception {
        java.util.concurrent.FutureTask<String> never = new java.util.concurrent.FutureTask<>(() -> "never");
        CompletableFuture<Thread> helper = new CompletableFuture<>();
        java.util.concurrent.Future<String> watched = new java.util.concurrent.Future<>() {
            public boolean cancel(boolean b) { return never.cancel(b); }
            public boolean isCancelled() { return never.isCancelled(); }
            public boolean isDone() { return never.isDone(); }
            public String get() throws InterruptedException, java.util.concurrent.ExecutionException {
                helper.complete(Thread.currentThread());
                return never.get();
            }
            public String get(long t, TimeUnit u) { throw new UnsupportedOperationException(); }
        };
        try (Loop realClock = Loop.builder().noStallWatchdog().reporter(reports).build()) {
            realClock.run(() -> {
                assertThatThrownBy(() -> Weft.withTimeout(Duration.ofMillis(20), () -> Weft.await(watched)))
                        .isInstanceOf(DeadlineExceededException.class);
            });
        }
        Thread t = helper.get(10, TimeUnit.SECONDS);
        t.join(10_000);
        assertThat(t.getState()).isNotEqualTo(Thread.State.WAITING);
    }

    /** Tasks.shield wrapped the failure it mirrors a second time. */
    @Test
    void aShieldEndsAsItsTaskEnded() {
        reports.run(() -> {
            Task<Object> t = Weft.spawn("inner", () -> {
                throw new java.io.IOException("disk");
            });
            assertThatThrownBy(() -> Weft.await(Tasks.shielded(t))).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(java.io.IOException.class);
            t.outcome();
        });
    }

    /** Under the virtual clock a sleep without end returned, with the clock at Long.MAX_VALUE. */
    @Test
    void aSleepWithoutEndIsNotATimer() {
        assertThatThrownBy(() -> reports.run(() -> Weft.sleep(Duration.ofSeconds(Long.MAX_VALUE))))
                .isInstanceOf(DeadlockException.class).hasMessageContaining("a sleep without end");
    }

    /** A failure nobody observed was reported only when the run ended: never, for a loop that runs on. */
    @Test
    void anUnobservedFailureIsReportedOnceItsTaskIsCollectedWhileTheLoopRunsOn() throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().reporter(reports).build()) {
            loop.run(() -> {
                Weft.spawn("forgotten", () -> {
                    throw new IllegalStateException("lost");
                }); // the task is dropped at once
                Weft.yield();
                Weft.toThread(() -> {
                    for (int i = 0; i < 200 && reports.all().isEmpty(); i++) {
                        System.gc();
                        Thread.sleep(25);
                    }
                });
                assertThat(reports.messages()).as("reported while the run goes on")
                        .singleElement().asString().contains("task 'forgotten' failed and nobody observed");
            });
        }
        assertThat(reports.all()).hasSize(1); // and not again at the end of the run
    }
}
