package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskTest {
    private final Reports reports = new Reports();

    @Test
    void awaitReturnsTheValueAndTasksGetDefaultNames() {
        reports.run(() -> {
            Task<Integer> t = Weft.spawn(() -> 21 * 2);
            assertThat(t.name()).startsWith("Task-");
            assertThat(t.state()).isEqualTo(Task.State.NEW);
            assertThat(Weft.await(t)).isEqualTo(42);
            assertThat(t.state()).isEqualTo(Task.State.DONE);
            assertThat(t.resultNow()).isEqualTo(42);
            assertThat(t.outcome()).isEqualTo(new Outcome.Success<>(42));
        });
    }

    @Test
    void aFailureIsThrownByAwaitAsTaskFailedNamingTheTask() {
        reports.run(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Task<Object> t = Weft.spawn("worker", () -> {
                throw boom;
            });
            assertThatThrownBy(() -> Weft.await(t)).isInstanceOf(TaskFailedException.class)
                    .hasMessageContaining("task 'worker' failed").hasCause(boom)
                    .satisfies(e -> assertThat(((TaskFailedException) e).taskName()).isEqualTo("worker"));
            assertThat(t.outcome()).isInstanceOf(Outcome.Failure.class);
        });
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void turnsAreFifoAndSwitchesHappenOnlyAtSuspensionPoints() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            for (String name : List.of("a", "b", "c")) {
                Weft.spawn(name, () -> {
                    log.add(name + "1");
                    log.add(name + "2"); // no suspension point between: never interleaved
                    Weft.yield();
                    log.add(name + "3");
                });
            }
            log.add("main");
            Weft.yield();
            log.add("main-again");
            Weft.sleep(Duration.ofMillis(1));
        });
        assertThat(log).containsExactly("main", "a1", "a2", "b1", "b2", "c1", "c2", "main-again", "a3", "b3", "c3");
    }

    @Test
    void aTaskCancelledBeforeItStartsNeverRunsItsBody() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            Task<Boolean> t = Weft.spawn(() -> log.add("ran"));
            assertThat(t.cancel("not needed")).isTrue();
            assertThatThrownBy(() -> Weft.await(t)).isInstanceOf(TaskCancelledException.class)
                    .cause().isInstanceOf(CancelledException.class).hasMessage("not needed");
            assertThat(t.isCancelled()).isTrue();
            assertThat(t.cancel()).isFalse();
        });
        assertThat(log).isEmpty();
    }

    @Test
    void cancellingAWaitingTaskThrowsAtItsSuspensionPointAndKeepsTheFirstReason() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            Task<Void> t = Weft.spawn("sleeper", () -> {
                try {
                    Weft.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                    log.add("cancelled: " + e.getMessage());
                    throw e;
                }
            });
            Weft.yield();
            t.cancel("first");
            t.cancel("second");
            assertThatThrownBy(() -> Weft.await(t)).isInstanceOf(TaskCancelledException.class);
            assertThat(Weft.nanoTime()).isZero(); // woken by the cancellation, not by the timer
        });
        assertThat(log).containsExactly("cancelled: first");
    }

    @Test
    void cancellationIsLevelTriggeredUntilTheTaskEnds() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            Task<Void> t = Weft.spawn(() -> {
                for (int i = 0; i < 3; i++) {
                    try {
                        Weft.yield();
                    } catch (CancelledException e) {
                        log.add("again " + i);
                    }
                }
                Weft.yield();
            });
            Weft.yield();
            t.cancel();
            assertThatThrownBy(() -> Weft.await(t)).isInstanceOf(TaskCancelledException.class);
        });
        assertThat(log).containsExactly("again 0", "again 1", "again 2");
    }

    @Test
    @ExpectsReports("the swallowed cancellation it pins")
    void aTaskThatSwallowsItsCancellationIsReported() {
        reports.run(() -> {
            Task<String> t = Weft.spawn("stubborn", () -> {
                try {
                    Weft.sleep(Duration.ofSeconds(1));
                } catch (CancelledException e) {
                    return "ignored it";
                }
                return "slept";
            });
            Weft.yield();
            t.cancel();
            assertThat(Weft.await(t)).isEqualTo("ignored it");
        });
        assertThat(reports.messages()).singleElement().asString()
                .contains("task 'stubborn' caught its CancelledException and returned normally");
    }

    @Test
    @ExpectsReports("the unobserved failure it pins")
    void aFailureNobodyObservedIsReportedOnceWithTheTaskNameAndStack() {
        IllegalStateException boom = new IllegalStateException("lost");
        reports.run(() -> {
            Weft.spawn("orphan", () -> {
                throw boom;
            });
            Weft.spawn("seen", () -> {
                throw new IllegalStateException("seen");
            }).onDone(t -> t.outcome());
            Weft.sleep(Duration.ofSeconds(1));
        });
        assertThat(reports.all()).singleElement().satisfies(r -> {
            assertThat(r.message()).contains("task 'orphan' failed and nobody observed");
            assertThat(r.cause()).isSameAs(boom);
        });
    }

    /** Regression (found by StressTest): a registered waiter used to count as an observer. */
    @Test
    @ExpectsReports("the unobserved failure it pins")
    void aFailureIsReportedWhenItsOnlyAwaiterWasCancelledBeforeReadingIt() {
        reports.run(() -> {
            Task<Object> failing = Weft.spawn("failing", () -> {
                Weft.yield();
                throw new IllegalStateException("x");
            });
            Task<Object> awaiter = Weft.spawn("awaiter", () -> Weft.await(failing));
            Weft.yield(); // failing yields; awaiter waits for failing
            awaiter.cancel(); // woken for its cancellation, still registered as failing's waiter
            assertThatThrownBy(() -> Weft.await(awaiter)).isInstanceOf(TaskCancelledException.class);
            assertThat(failing.isDone()).isTrue();
        });
        assertThat(reports.messages()).singleElement().asString().contains("task 'failing' failed and nobody observed");
    }

    @Test
    @ExpectsReports("the done callback that throws")
    void doneCallbacksRunInOrderAndOneThatThrowsIsReportedWithoutStoppingTheOthers() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            Task<Integer> t = Weft.spawn(() -> 1);
            t.onDone(x -> log.add("first " + x.resultNow()));
            t.onDone(x -> {
                throw new IllegalStateException("bad callback");
            });
            t.onDone(x -> log.add("third"));
            Weft.await(t);
            t.onDone(x -> log.add("late"));
        });
        assertThat(log).containsExactly("first 1", "third", "late");
        assertThat(reports.messages()).singleElement().asString().contains("done callback");
    }

    @Test
    @ExpectsReports("the done callback that tried to wait")
    void aDoneCallbackCannotSuspend() {
        reports.run(() -> {
            Task<Integer> t = Weft.spawn(() -> 1);
            t.onDone(x -> Weft.yield());
            Weft.await(t);
        });
        assertThat(reports.all()).singleElement().satisfies(r ->
                assertThat(r.cause()).hasMessageContaining("must not wait"));
    }

    @Test
    void aTaskCannotAwaitItself() {
        reports.run(() -> {
            assertThatThrownBy(() -> Weft.await(Weft.currentTask())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("awaits itself");
        });
    }

    @Test
    void resultNowOfARunningTaskIsAnError() {
        reports.run(() -> {
            Task<Void> t = Weft.spawn(() -> Weft.sleep(Duration.ofSeconds(1)));
            assertThatThrownBy(t::resultNow).isInstanceOf(IllegalStateException.class).hasMessageContaining("await it first");
            Weft.await(t);
        });
    }

    @Test
    void toCompletableFutureCompletesForOutsiders() {
        CompletableFuture<Integer> f = reports.run(() -> {
            Task<Integer> t = Weft.spawn(() -> {
                Weft.sleep(Duration.ofSeconds(5));
                return 7;
            });
            CompletableFuture<Integer> cf = t.toCompletableFuture();
            assertThat(cf).isNotDone();
            Weft.await(t);
            return cf;
        });
        assertThat(f).isCompletedWithValue(7);
    }

    @Test
    void awaitingATaskOfAnotherLoopWaitsWithoutHoldingThisOne() throws Exception {
        CompletableFuture<Task<String>> other = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        Thread second = Thread.ofPlatform().start(() -> new Reports().run(() -> {
            Task<String> t = Weft.spawn("elsewhere", () -> {
                Weft.await(release);
                return "from the other loop";
            });
            other.complete(t);
            return Weft.await(t);
        }));
        String got = new Reports().run(() -> {
            Task<String> t = Weft.await(other);
            Task<String> releaser = Weft.spawn(() -> {
                release.complete(null);
                return "";
            });
            Weft.await(releaser);
            return Weft.await(t);
        });
        assertThat(got).isEqualTo("from the other loop");
        second.join();
    }

    @Test
    @ExpectsReports("the unobserved failure it pins")
    void cancellingATaskThatAlreadyFailedDoesNotCountAsObservingItsFailure() {
        reports.run(() -> {
            Task<Void> t = Weft.spawn("failed", () -> {
                throw new IllegalStateException("nobody looked");
            });
            Weft.yield();
            assertThat(t.cancel()).as("it had already ended").isFalse();
            assertThat(t.isCancelled()).isFalse();
        });
        assertThat(reports.messages()).singleElement().asString()
                .contains("task 'failed' failed and nobody observed its failure");
    }

    /** An Error thrown by a done callback killed the task's thread while it held the turn. */
    @Test
    @ExpectsReports("the done callback's error")
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

    /** Awaiting a task of another loop marked its failure observed before the wait succeeded. */
    @Test
    @ExpectsReports("loop A's unobserved failure")
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

    /** A failure nobody observed was reported only when the run ended: never, for a loop that runs on. */
    @Test
    @ExpectsReports("the unobserved failure it pins")
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
                        synchronized (reports) { // woken by the report, if the collection brings one
                            if (reports.all().isEmpty()) {
                                reports.wait(25);
                            }
                        }
                    }
                });
                assertThat(reports.messages()).as("reported while the run goes on")
                        .singleElement().asString().contains("task 'forgotten' failed and nobody observed");
            });
        }
        assertThat(reports.all()).hasSize(1); // and not again at the end of the run
    }

    /** A cancelled await of a plain Future left its helper thread blocked in get(). */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void cancellingAnAwaitOfAPlainFutureInterruptsItsHelperThread() throws Exception {
        java.util.concurrent.FutureTask<String> never = new java.util.concurrent.FutureTask<>(() -> "never");
        CompletableFuture<Thread> helper = new CompletableFuture<>();
        java.util.concurrent.Future<String> watched = new java.util.concurrent.Future<>() {
            @Override public boolean cancel(boolean b) { return never.cancel(b); }
            @Override public boolean isCancelled() { return never.isCancelled(); }
            @Override public boolean isDone() { return never.isDone(); }
            @Override public String get() throws InterruptedException, java.util.concurrent.ExecutionException {
                helper.complete(Thread.currentThread());
                return never.get();
            }
            @Override public String get(long t, TimeUnit u) { throw new UnsupportedOperationException(); }
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
}
