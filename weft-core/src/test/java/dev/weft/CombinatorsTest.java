package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CombinatorsTest {
    private final Reports reports = new Reports();

    private static Body<String, RuntimeException> after(int seconds, String value) {
        return () -> {
            Weft.sleep(Duration.ofSeconds(seconds));
            return value;
        };
    }

    private static Body<String, RuntimeException> failAfter(int seconds, String message) {
        return () -> {
            Weft.sleep(Duration.ofSeconds(seconds));
            throw new IllegalStateException(message);
        };
    }

    @Test
    void gatherReturnsValuesInOrderConcurrently() {
        reports.run(() -> {
            assertThat(Tasks.gather(after(3, "a"), after(1, "b"), after(2, "c"))).containsExactly("a", "b", "c");
            assertThat(Weft.nanoTime()).isEqualTo(Duration.ofSeconds(3).toNanos());
        });
    }

    @Test
    void gatherCancelsTheRestOnAFailure() {
        reports.run(() -> {
            assertThatThrownBy(() -> Tasks.gather(after(10, "slow"), failAfter(1, "broken")))
                    .isInstanceOf(TaskFailedException.class).hasRootCauseMessage("broken");
            assertThat(Weft.nanoTime()).isEqualTo(Duration.ofSeconds(1).toNanos());
        });
    }

    @Test
    void gatherOutcomesCollectsEveryOutcome() {
        reports.run(() -> {
            List<Outcome<String>> all = Tasks.gatherOutcomes(List.of(after(2, "ok"), failAfter(1, "no")));
            assertThat(all.get(0)).isEqualTo(new Outcome.Success<>("ok"));
            assertThat(all.get(1)).isInstanceOfSatisfying(Outcome.Failure.class,
                    f -> assertThat(f.exception()).hasMessage("no"));
        });
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void waitHonoursEachModeAndTheTimeoutWithoutCancelling() {
        reports.run(() -> {
            Task<String> fast = Weft.spawn(after(1, "fast"));
            Task<String> failing = Weft.spawn(failAfter(2, "x"));
            Task<String> slow = Weft.spawn(after(3, "slow"));
            List<Task<String>> all = List.of(fast, failing, slow);

            Tasks.Done<String> first = Tasks.wait(all, WaitMode.FIRST_COMPLETED);
            assertThat(first.done()).containsExactly(fast);
            Tasks.Done<String> timedOut = Tasks.wait(all, WaitMode.ALL_COMPLETED, Duration.ofMillis(500));
            assertThat(timedOut.pending()).containsExactlyInAnyOrder(failing, slow);
            Tasks.Done<String> exc = Tasks.wait(all, WaitMode.FIRST_EXCEPTION);
            assertThat(exc.done()).containsExactlyInAnyOrder(fast, failing);
            assertThat(Weft.nanoTime()).isEqualTo(Duration.ofSeconds(2).toNanos());
            Tasks.Done<String> rest = Tasks.wait(all, WaitMode.ALL_COMPLETED);
            assertThat(rest.pending()).isEmpty();
            assertThat(slow.resultNow()).isEqualTo("slow");
            failing.outcome();
        });
    }

    @Test
    void asCompletedYieldsTasksInTheOrderTheyEnd() {
        reports.run(() -> {
            List<Task<String>> tasks = List.of(Weft.spawn(after(3, "c")), Weft.spawn(after(1, "a")),
                    Weft.spawn(after(2, "b")));
            List<String> order = new ArrayList<>();
            for (Task<String> t : Tasks.asCompleted(tasks)) {
                order.add(t.resultNow() + "@" + Weft.nanoTime() / 1_000_000_000);
            }
            assertThat(order).containsExactly("a@1", "b@2", "c@3");
        });
    }

    @Test
    void asCompletedThrowsAfterItsTimeout() {
        reports.run(() -> {
            List<Task<String>> tasks = List.of(Weft.spawn(after(1, "a")), Weft.spawn(after(5, "b")));
            var it = Tasks.asCompleted(tasks, Duration.ofSeconds(2)).iterator();
            assertThat(it.next().resultNow()).isEqualTo("a");
            assertThatThrownBy(it::next).isInstanceOf(DeadlineExceededException.class);
            tasks.get(1).cancel();
        });
    }

    @Test
    void firstSuccessReturnsTheFirstValueAndCancelsTheOthers() {
        reports.run(() -> {
            assertThat(Tasks.firstSuccess(List.of(failAfter(1, "down"), after(2, "mirror"), after(9, "slow"))))
                    .isEqualTo("mirror");
            assertThat(Weft.nanoTime()).isEqualTo(Duration.ofSeconds(2).toNanos());
            assertThat(Weft.tasks()).hasSize(1);
        });
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void firstSuccessThrowsEveryFailureWhenAllFail() {
        reports.run(() -> {
            assertThatThrownBy(() -> Tasks.firstSuccess(List.of(failAfter(1, "one"), failAfter(2, "two"))))
                    .isInstanceOf(TaskFailedException.class).hasRootCauseMessage("one")
                    .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
        });
    }

    @Test
    void awaitAllCancelsTheOthersOnAFailureButNotAShieldedOne() {
        reports.run(() -> {
            Task<String> plain = Weft.spawn(after(5, "plain"));
            Task<String> precious = Weft.spawn(after(5, "precious"));
            Task<String> bad = Weft.spawn(failAfter(1, "bad"));
            assertThatThrownBy(() -> Tasks.awaitAll(List.of(plain, Tasks.shielded(precious), bad)))
                    .isInstanceOf(TaskFailedException.class);
            assertThat(Weft.await(precious)).isEqualTo("precious");
            assertThat(plain.isCancelled()).isTrue();
            assertThat(Tasks.awaitAll(List.of(Weft.spawn(after(1, "x")), Weft.spawn(after(2, "y")))))
                    .containsExactly("x", "y");
        });
    }

    @Test
    void asCompletedReturnsATaskListedTwiceOnce() { // asyncio's test_as_completed_duplicate_coroutines
        reports.run(() -> {
            Task<String> a = Weft.spawn(after(1, "a"));
            Task<String> b = Weft.spawn(after(2, "b"));
            List<String> got = new ArrayList<>();
            for (Task<String> t : Tasks.asCompleted(List.of(a, b, a))) {
                got.add(t.resultNow());
            }
            assertThat(got).containsExactly("a", "b");
        });
    }

    @Test
    void waitCountsATaskListedTwiceOnceAndRejectsNothingToWaitFor() { // asyncio's test_wait_duplicate_coroutines, test_wait_errors
        reports.run(() -> {
            Task<String> a = Weft.spawn(after(1, "a"));
            Tasks.Done<String> done = Tasks.wait(List.of(a, a), WaitMode.ALL_COMPLETED);
            assertThat(done.done()).containsExactly(a);
            assertThat(done.pending()).isEmpty();
            assertThatThrownBy(() -> Tasks.wait(List.<Task<String>>of(), WaitMode.FIRST_COMPLETED))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one task");
            assertThat(Tasks.awaitAll(List.of(a, a))).containsExactly("a", "a");
        });
    }

    @Test
    void aZeroOrNegativeTimeoutWaitsAtMostOneTurn() {
        reports.run(() -> {
            Task<String> a = Weft.spawn(after(1, "a"));
            Tasks.Done<String> done = Tasks.wait(List.of(a), WaitMode.ALL_COMPLETED, Duration.ofSeconds(-1));
            assertThat(done.pending()).containsExactly(a);
            assertThatThrownBy(() -> Tasks.asCompleted(List.of(a), Duration.ZERO).iterator().next())
                    .isInstanceOf(DeadlineExceededException.class);
            assertThat(Weft.nanoTime()).isZero();
            a.cancel();
        });
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
}
