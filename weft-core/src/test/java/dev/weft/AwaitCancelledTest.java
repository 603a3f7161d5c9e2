package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * "I was cancelled" versus "what I awaited was cancelled by someone else": the second is a
 * {@link TaskCancelledException}, a failure of the awaiter, which is not cancelled by it.
 */
class AwaitCancelledTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private final Reports reports = new Reports();

    @Test
    void awaitingATaskSomeoneElseCancelledThrowsTaskCancelledAndTheAwaiterGoesOn() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            Task<String> sleeper = Weft.spawn("sleeper", () -> {
                Weft.sleep(HOUR);
                return "woke";
            });
            Task<String> awaiter = Weft.spawn("awaiter", () -> {
                try {
                    return Weft.await(sleeper);
                } catch (TaskCancelledException e) {
                    log.add(e.getMessage());
                    assertThat(e.getCause()).isInstanceOf(CancelledException.class).hasMessage("not needed");
                    Weft.sleep(Duration.ofSeconds(1)); // not cancelled itself: it can still wait
                    return "went on";
                }
            });
            Testing.waitAllTasksBlocked();
            sleeper.cancel("not needed");
            assertThat(Weft.await(awaiter)).isEqualTo("went on");
            assertThat(awaiter.isCancelled()).isFalse();
        });
        assertThat(log).containsExactly("task 'sleeper' was cancelled: not needed");
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void aTaskCancelledExceptionThatEscapesEndsTheAwaiterFailedNeverCancelledAndIsNoSwallowedCancellation() {
        reports.run(() -> {
            Task<String> sleeper = Weft.spawn("sleeper", () -> {
                Weft.sleep(HOUR);
                return "woke";
            });
            Task<String> awaiter = Weft.spawn("awaiter", () -> Weft.await(sleeper));
            Testing.waitAllTasksBlocked();
            sleeper.cancel();
            assertThatThrownBy(() -> Weft.await(awaiter)).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(TaskCancelledException.class);
            assertThat(awaiter.isCancelled()).isFalse();
            assertThat(awaiter.outcome()).isInstanceOf(Outcome.Failure.class);
        });
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void anAwaiterCancelledByTheSameScopeGetsItsOwnCancellation() {
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                Task<Void> a = g.spawn("a", () -> Weft.sleep(HOUR));
                Task<Void> b = g.spawn("b", () -> Weft.await(a));
                Testing.waitAllTasksBlocked();
                g.cancel(); // a ends first and wakes b, but b is cancelled too
                g.join();
                assertThat(a.isCancelled()).isTrue();
                assertThat(b.isCancelled()).as("its own cancellation, not a failure").isTrue();
            }
        });
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void awaitingAFutureItsOwnerCancelledThrowsTaskCancelled() {
        reports.run(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            Task<String> awaiter = Weft.spawn("awaiter", () -> Weft.await(f));
            Testing.waitAllTasksBlocked();
            f.cancel(false);
            assertThatThrownBy(() -> Weft.await(awaiter)).isInstanceOf(TaskFailedException.class)
                    .cause().isInstanceOf(TaskCancelledException.class)
                    .hasMessageStartingWith("the awaited future was cancelled")
                    .cause().isInstanceOf(CancellationException.class);
            CompletableFuture<String> done = new CompletableFuture<>();
            done.cancel(false);
            assertThatThrownBy(() -> Weft.await(done)).isInstanceOf(TaskCancelledException.class);
        });
    }

    @Test
    void awaitingACancelledTaskOfAnotherLoopThrowsTaskCancelled() throws Exception {
        try (Loop other = Loop.builder().noStallWatchdog().build()) {
            CompletableFuture<Task<String>> spawned = new CompletableFuture<>();
            Thread runner = Thread.ofPlatform().start(() -> other.run(() -> {
                Task<String> t = Weft.spawn("elsewhere", () -> {
                    Weft.sleep(HOUR);
                    return "no";
                });
                spawned.complete(t);
                Weft.yield();
                t.cancel("from its own loop");
            }));
            reports.run(() -> {
                Task<String> t = Weft.await(spawned);
                assertThatThrownBy(() -> Weft.await(t)).isInstanceOf(TaskCancelledException.class)
                        .hasMessage("task 'elsewhere' was cancelled: from its own loop");
            });
            runner.join();
        }
    }

    @Test
    void gatherOfAChildCancelledFromOutsideThrowsTaskCancelledNamingItAfterTheOthersFinished() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            List<Task<?>> children = new ArrayList<>();
            Task<List<String>> gatherer = Weft.spawn("gatherer", () -> Tasks.gather(
                    () -> {
                        children.add(Weft.currentTask());
                        Weft.sleep(HOUR);
                        return "never";
                    },
                    () -> {
                        Weft.sleep(Duration.ofSeconds(2));
                        log.add("the other child finished");
                        return "two";
                    }));
            Testing.waitAllTasksBlocked();
            children.get(0).cancel("from outside");
            assertThatThrownBy(() -> Weft.await(gatherer)).isInstanceOf(TaskFailedException.class)
                    .cause().isInstanceOf(TaskCancelledException.class).hasMessageContaining("from outside");
            assertThat(gatherer.isCancelled()).isFalse();
        });
        assertThat(log).containsExactly("the other child finished");
    }

    @Test
    void aGroupChildCancelledFromOutsideDoesNotAffectTheGroup() {
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                Task<String> victim = g.spawn("victim", () -> {
                    Weft.sleep(HOUR);
                    return "never";
                });
                Task<String> other = g.spawn("other", () -> {
                    Weft.sleep(Duration.ofSeconds(1));
                    return "fine";
                });
                Testing.waitAllTasksBlocked();
                victim.cancel();
                g.join(); // no failure: a child cancelled by someone else is not the group's failure (asyncio)
                assertThat(other.resultNow()).isEqualTo("fine");
                assertThatThrownBy(victim::resultNow).isInstanceOf(TaskCancelledException.class);
                assertThat(victim.outcome()).isInstanceOf(Outcome.Cancelled.class);
            }
        });
    }

    @Test
    void aShieldOfACancelledTaskEndsCancelledToo() {
        reports.run(() -> {
            Task<String> inner = Weft.spawn("inner", () -> {
                Weft.sleep(HOUR);
                return "never";
            });
            Task<String> shielded = Tasks.shielded(inner);
            Testing.waitAllTasksBlocked();
            inner.cancel("gone");
            assertThatThrownBy(() -> Weft.await(shielded)).isInstanceOf(TaskCancelledException.class);
            assertThat(shielded.isCancelled()).isTrue();
        });
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void awaitAllThrowsTaskCancelledForACancelledTaskAndCancelsTheRest() {
        reports.run(() -> {
            Task<String> a = Weft.spawn("a", () -> {
                Weft.sleep(HOUR);
                return "a";
            });
            Task<String> b = Weft.spawn("b", () -> {
                Weft.sleep(HOUR);
                return "b";
            });
            Task<List<String>> all = Weft.spawn("all", () -> Tasks.awaitAll(List.of(a, b)));
            Testing.waitAllTasksBlocked();
            a.cancel();
            assertThatThrownBy(() -> Weft.await(all)).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(TaskCancelledException.class);
            Weft.yield();
            assertThat(b.isCancelled()).isTrue();
        });
    }

    @Test
    void awaitAllAndGatherGiveTheCallersOwnCancellationWhenItIsCancelledToo() { // review: they failed it
        reports.run(() -> {
            Task<Void> b = Weft.spawn("b", () -> Weft.sleep(HOUR));
            Task<List<Void>> a = Weft.spawn("a", () -> Tasks.awaitAll(List.of(b)));
            Testing.waitAllTasksBlocked();
            b.cancel();
            Weft.yield(); // b ends and wakes a, which has not run yet
            a.cancel();
            assertThatThrownBy(() -> Weft.await(a)).isInstanceOf(TaskCancelledException.class);
            assertThat(a.isCancelled()).isTrue();

            Task<?>[] gatherer = new Task<?>[1];
            gatherer[0] = Weft.spawn("gatherer", () -> Tasks.gather(() -> {
                Weft.currentTask().cancel(); // this child ends cancelled...
                gatherer[0].cancel(); // ...and the gatherer is cancelled before it runs again
                return Weft.await(Weft.spawn(() -> "never"));
            }));
            assertThatThrownBy(() -> Weft.await(gatherer[0])).isInstanceOf(TaskCancelledException.class);
            assertThat(gatherer[0].isCancelled()).isTrue();
        });
    }
}
