package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunTest {
    private final Reports reports = new Reports();

    @Test
    void runReturnsTheMainValue() {
        assertThat(Weft.run(() -> 6 * 7)).isEqualTo(42);
    }

    @Test
    void runRethrowsTheMainExceptionAsItWas() {
        IOException boom = new IOException("boom");
        assertThatThrownBy(() -> reports.run(() -> {
            throw boom;
        })).isSameAs(boom);
    }

    @Test
    void runOfACancelledMainThrowsCancelled() {
        assertThatThrownBy(() -> reports.run(() -> {
            Weft.currentTask().cancel("stop");
            Weft.yield();
        })).isInstanceOf(CancelledException.class).hasMessageContaining("stop");
    }

    @Test
    void runInsideATaskFailsWithAnExplanation() {
        assertThatThrownBy(() -> reports.run(() -> Weft.run(() -> 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("nested run");
    }

    @Test
    void waitingOutsideATaskFailsWithAnExplanation() {
        assertThatThrownBy(() -> Weft.sleep(Duration.ofMillis(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Weft.sleep must be called inside a task");
        assertThatThrownBy(() -> Weft.await(CompletableFuture.completedFuture(1)))
                .hasMessageContaining("Weft.await must be called inside a task");
    }

    @Test
    void aClosedLoopRefusesToRun() {
        Loop loop = reports.virtualLoop();
        assertThat(loop.run(() -> 1)).isEqualTo(1);
        assertThat(loop.run(() -> 2)).isEqualTo(2);
        loop.close();
        assertThatThrownBy(() -> loop.run(() -> 3)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void leftoverTasksAreCancelledAndAwaitedWhenMainEnds() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            Weft.spawn("forever", () -> {
                try {
                    Weft.sleep(Duration.ofDays(1));
                } finally {
                    log.add("cleaned up");
                }
            });
            Weft.yield();
        });
        assertThat(log).containsExactly("cleaned up");
    }

    @Test
    void tasksListsTheLiveTasksAndCurrentTaskIsTheCaller() {
        reports.run(() -> {
            Task<Void> t = Weft.spawn("sleeper", () -> Weft.sleep(Duration.ofSeconds(1)));
            assertThat(Weft.tasks()).extracting(Task::name).containsExactlyInAnyOrder("main", "sleeper");
            assertThat(Weft.currentTask().name()).isEqualTo("main");
            Weft.await(t);
            assertThat(Weft.tasks()).extracting(Task::name).containsExactly("main");
        });
    }

    @Test
    void submitRunsWorkFromAnotherThreadOnTheLoop() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Loop> loopRef = new CompletableFuture<>();
        CompletableFuture<String> fromOutside = new CompletableFuture<>();
        Thread outsider = Thread.ofPlatform().start(() -> {
            try {
                Loop loop = loopRef.get(10, TimeUnit.SECONDS);
                running.await();
                var _ = loop.submit(() -> Weft.currentTask().name() + " ran")
                        .whenComplete((v, e) -> fromOutside.complete(v));
            } catch (Exception e) {
                fromOutside.completeExceptionally(e);
            }
        });
        try (Loop loop = Loop.builder().noStallWatchdog().reporter(reports).build()) {
            loopRef.complete(loop);
            String got = loop.run(() -> {
                running.countDown();
                return Weft.await(fromOutside);
            });
            assertThat(got).startsWith("Task-").endsWith(" ran");
            assertThat(loop.submit(() -> 1)).isCompletedExceptionally();
        }
        outsider.join();
    }

    @Test
    void aSubmittedTaskFailureReachesTheFuture() throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().reporter(reports).build()) {
            CompletableFuture<Object> f = loop.run(() -> {
                CompletableFuture<Object> cf = Weft.loop().submit(() -> {
                    throw new IllegalStateException("bad");
                });
                Weft.await(cf.handle((v, e) -> null));
                return cf;
            });
            assertThatThrownBy(f::join).hasCauseInstanceOf(IllegalStateException.class);
        }
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void interruptingTheThreadRunningTheLoopCancelsMainAndKeepsTheInterrupt() throws Exception {
        CompletableFuture<Thread> runner = new CompletableFuture<>();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try (Loop loop = Loop.builder().noStallWatchdog().build()) {
                loop.run(() -> {
                    runner.complete(Thread.currentThread());
                    Weft.await(new CompletableFuture<Void>()); // waits for something from outside, for ever
                });
            } catch (Throwable e) {
                thrown.complete(e);
            }
            stillInterrupted.complete(Thread.currentThread().isInterrupted());
        });
        runner.get(10, TimeUnit.SECONDS);
        t.interrupt();
        assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(CancelledException.class)
                .hasMessageContaining("the thread running the loop was interrupted");
        assertThat(stillInterrupted.get(10, TimeUnit.SECONDS)).isTrue();
        t.join(10_000);
    }

    /** Two tasks that keep yielding to each other never give the driver the turn: the interrupt still gets through. */
    @Test
    void anInterruptReachesALoopWhoseTasksNeverLeaveItIdle() throws Exception {
        CompletableFuture<Void> busy = new CompletableFuture<>();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try (Loop loop = Loop.builder().noStallWatchdog().build()) {
                loop.run(() -> {
                    Weft.spawn(() -> {
                        while (true) {
                            Weft.yield();
                        }
                    });
                    busy.complete(null);
                    while (true) {
                        Weft.yield();
                    }
                });
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        busy.get(10, TimeUnit.SECONDS);
        t.interrupt();
        assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(CancelledException.class)
                .hasMessageContaining("the thread running the loop was interrupted");
        t.join(10_000);
    }

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

    /** Tasks handed in with Loop.submit were reported to listeners with a random parent. */
    @Test
    void submittedTasksHaveNoParent() {
        List<String> parents = new ArrayList<>();
        dev.weft.TaskListener l = new dev.weft.TaskListener() {
            @Override
            public void spawned(Task<?> task, Optional<Task<?>> parent) {
                parents.add(task.name() + "<-" + parent.map(Task::name).orElse("-"));
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
}
