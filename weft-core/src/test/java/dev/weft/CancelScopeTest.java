package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link CancelScope}: the cases of trio's {@code test_run.py} (cancel points, edge cases, shielding,
 * nesting, unbound scopes, effective deadlines) and {@code test_timeouts.py} (move-on), in Weft's API.
 */
class CancelScopeTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private final Reports reports = new Reports();

    @Test
    void aCancelledScopeThrowsAtItsNextCheckpointAndRunCatchesItSoTheCodeAfterTheBlockRuns() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            CancelScope scope = CancelScope.create();
            boolean finished = scope.run(() -> {
                Weft.yield(); // not cancelled yet
                scope.cancel();
                log.add("cancel does not throw by itself");
                Weft.yield();
                log.add("not reached");
            });
            log.add("after the block");
            assertThat(finished).isFalse();
            assertThat(scope.cancelCalled()).isTrue();
            assertThat(scope.cancelledCaught()).isTrue();
        });
        assertThat(log).containsExactly("cancel does not throw by itself", "after the block");
        assertThat(reports.all()).as("a caught cancellation is not a swallowed one").isEmpty();
    }

    @Test
    void cancelIsIdempotentAndLevelTriggered() {
        reports.run(() -> {
            CancelScope scope = CancelScope.create();
            scope.run(() -> {
                scope.cancel();
                scope.cancel();
                assertThatThrownBy(() -> Weft.sleep(Duration.ofHours(1))).isInstanceOf(CancelledException.class);
                assertThatThrownBy(() -> Weft.sleep(Duration.ofHours(1))).isInstanceOf(CancelledException.class)
                        .hasMessage("cancel() was called");
            });
            assertThat(scope.cancelCalled()).isTrue();
            assertThat(scope.cancelledCaught()).as("the block caught both itself and ended normally").isFalse();
        });
    }

    @Test
    void aBlockThatReachesNoCheckpointAfterTheCancelEndsNormallyWithItsValue() {
        reports.run(() -> {
            CancelScope scope = CancelScope.create();
            Optional<String> v = scope.run(() -> {
                scope.cancel();
                return "done";
            });
            assertThat(v).contains("done");
            assertThat(scope.cancelCalled()).isTrue();
            assertThat(scope.cancelledCaught()).isFalse();
        });
    }

    @Test
    void aShieldedScopeIsNotReachedByOuterCancellationButIsByItsOwnAndByScopesInsideIt() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            CancelScope outer = CancelScope.create();
            CancelScope inner = CancelScope.create();
            outer.run(() -> {
                inner.run(() -> {
                    Weft.yield();
                    outer.cancel();
                    assertThatThrownBy(Weft::yield).isInstanceOf(CancelledException.class);
                    assertThat(inner.isShielded()).isFalse();
                    inner.shield(true);
                    Weft.yield(); // the shield protects it from outer
                    CancelScope innermost = CancelScope.create();
                    innermost.run(() -> {
                        innermost.cancel();
                        Weft.yield(); // but not from a scope inside it: caught by innermost
                        log.add("not reached");
                    });
                    assertThat(innermost.cancelledCaught()).isTrue();
                    Weft.yield();
                    inner.shield(false);
                    assertThatThrownBy(Weft::yield).isInstanceOf(CancelledException.class);
                    inner.shield(true);
                    Weft.yield();
                    inner.cancel(); // the shield does not protect it from itself
                    Weft.yield();
                    log.add("not reached either");
                });
                assertThat(inner.cancelledCaught()).isTrue();
                log.add("after inner, still in outer, which is cancelled");
                Weft.yield();
                log.add("not reached: outer is cancelled");
            });
            assertThat(outer.cancelledCaught()).isTrue();
        });
        assertThat(log).containsExactly("after inner, still in outer, which is cancelled");
    }

    @Test
    void whenNestedScopesAreBothCancelledTheOuterOneCatches() {
        reports.run(() -> {
            CancelScope scope1 = CancelScope.create();
            CancelScope scope2 = CancelScope.create();
            CancelScope scope3 = CancelScope.create();
            scope1.run(() -> scope2.run(() -> scope3.run(() -> {
                scope3.cancel();
                scope2.cancel();
                Weft.sleep(Duration.ofHours(1));
            })));
            assertThat(scope3.cancelCalled()).isTrue();
            assertThat(scope3.cancelledCaught()).isFalse();
            assertThat(scope2.cancelCalled()).isTrue();
            assertThat(scope2.cancelledCaught()).isTrue();
            assertThat(scope1.cancelCalled()).isFalse();
            assertThat(scope1.cancelledCaught()).isFalse();
        });
    }

    @Test
    void aCancellationThatIsNotDeliveredBeforeItsScopeEndsIsNotCaught() {
        reports.run(() -> {
            CancelScope scope = CancelScope.create();
            scope.run(() -> {
                scope.cancel();
                try (Shield _ = Weft.shield()) {
                    Weft.yield();
                }
            });
            Weft.yield();
            assertThat(scope.cancelledCaught()).isFalse();
        });
    }

    @Test
    void unshieldingWhileTheCancellationPropagatesLetsTheOuterScopeCatchIt() { // trio #1175
        reports.run(() -> {
            CancelScope outer = CancelScope.create();
            CancelScope inner = CancelScope.create();
            outer.run(() -> inner.run(() -> {
                outer.cancel();
                try {
                    Weft.yield();
                } finally {
                    inner.shield(true);
                }
            }));
            assertThat(outer.cancelledCaught()).isTrue();
            assertThat(inner.cancelledCaught()).isFalse();
        });
    }

    @Test
    void unshieldingWakesATaskThatWaitsUnderACancelledScope() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            CancelScope outer = CancelScope.create();
            outer.run(() -> {
                outer.cancel();
                CancelScope shielded = CancelScope.create();
                shielded.shield(true);
                shielded.run(() -> {
                    try (TaskGroup g = TaskGroup.open()) {
                        g.spawn("child", () -> {
                            log.add("sleeping");
                            try {
                                Weft.sleep(Duration.ofHours(1));
                            } catch (CancelledException e) {
                                log.add("cancelled at " + Weft.nanoTime());
                                throw e;
                            }
                        });
                        Testing.waitAllTasksBlocked();
                        assertThat(log).containsExactly("sleeping");
                        shielded.shield(false); // now outer's cancellation reaches the sleeping child
                        try (Shield _ = Weft.shield()) {
                            Testing.waitAllTasksBlocked();
                        }
                        assertThat(log).containsExactly("sleeping", "cancelled at 0");
                        g.join();
                    }
                });
            });
        });
    }

    @Test
    void aDeadlineCancelsTheScopeAndTheMoveOnFormEndsTheBlockQuietly() {
        reports.run(() -> {
            long start = Weft.nanoTime();
            CancelScope scope = CancelScope.create();
            scope.run(() -> {
                assertThat(Loops.nanos(scope.deadline())).isEqualTo(Long.MAX_VALUE);
                scope.rescheduleAt(Loops.at(start + SECOND.toNanos()));
                assertThat(Loops.nanos(scope.deadline())).isEqualTo(start + SECOND.toNanos());
            });
            Weft.sleep(Duration.ofSeconds(2));
            assertThat(scope.cancelCalled()).as("its deadline passed after it ended").isFalse();

            Optional<String> v = Weft.moveOnAfter(SECOND, () -> {
                Weft.sleep(Duration.ofHours(1));
                return "not reached";
            });
            assertThat(v).isEmpty();
            assertThat(Weft.nanoTime() - start).isEqualTo(Duration.ofSeconds(3).toNanos());
            assertThat(Weft.moveOnAfter(SECOND, () -> "in time")).contains("in time");
            assertThat(Weft.moveOnAt(Deadline.after(SECOND), () -> Weft.sleep(Duration.ofMillis(999))))
                    .isTrue();
        });
    }

    @Test
    void theDeadlineCanBeMovedLaterOrEarlierWhileTheScopeRuns() {
        reports.run(() -> {
            long start = Weft.nanoTime();
            CancelScope scope = CancelScope.create();
            scope.run(() -> {
                Weft.yield();
                scope.rescheduleAt(Loops.at(start + Duration.ofSeconds(10).toNanos()));
                Weft.yield();
                Weft.sleep(Duration.ofSeconds(5));
                scope.rescheduleAt(Loops.at(start + SECOND.toNanos())); // already passed: cancelled at once
                assertThatThrownBy(Weft::yield).isInstanceOf(CancelledException.class);
                assertThatThrownBy(Weft::yield).isInstanceOf(CancelledException.class);
                assertThatThrownBy(() -> scope.reschedule(SECOND)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("already expired");
            });
            assertThat(scope.cancelCalled()).isTrue();
            assertThatThrownBy(scope::removeDeadline).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        });
    }

    @Test
    void aScopeCancelledBeforeItIsEnteredThrowsAtItsFirstCheckpoint() {
        reports.run(() -> {
            CancelScope scope = CancelScope.create();
            scope.cancel();
            assertThat(scope.run(() -> Weft.sleep(Duration.ofHours(1)))).isFalse();
            assertThat(Weft.nanoTime()).isZero();
        });
    }

    @Test
    void aScopeCanBeCancelledByAnotherTaskWhileItsTaskWaits() {
        reports.run(() -> {
            CancelScope scope = CancelScope.create();
            try (TaskGroup g = TaskGroup.open()) {
                Task<Boolean> sleeper = g.spawn("sleeper", () -> scope.run(() -> Weft.sleep(Duration.ofHours(1))));
                Testing.waitAllTasksBlocked();
                scope.cancel();
                g.join();
                assertThat(sleeper.resultNow()).isFalse();
                assertThat(sleeper.isCancelled()).as("the task itself was not cancelled").isFalse();
            }
        });
    }

    @Test
    void aScopeCanBeCancelledFromAnotherThread() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        try (Loop loop = Loop.builder().noStallWatchdog().build()) {
            CancelScope[] scope = new CancelScope[1];
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    if (entered.await(10, TimeUnit.SECONDS)) {
                        scope[0].cancel("from another thread");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            String how = loop.run(() -> {
                scope[0] = CancelScope.create();
                boolean finished = scope[0].run(() -> {
                    entered.countDown();
                    Weft.toThread(() -> other.join()); // an outside wait, so no deadlock is reported
                    Weft.sleep(Duration.ofHours(1));
                });
                return finished ? "finished" : "cancelled";
            });
            assertThat(how).isEqualTo("cancelled");
        }
    }

    @Test
    void aShieldGivenBeforeEntryHoldsOnEntry() {
        reports.run(() -> {
            CancelScope outer = CancelScope.create();
            CancelScope scope = CancelScope.create();
            scope.shield(true);
            outer.run(() -> scope.run(() -> {
                outer.cancel();
                Weft.yield();
                scope.shield(false);
                assertThatThrownBy(Weft::yield).isInstanceOf(CancelledException.class);
            }));
        });
    }

    @Test
    void aScopeIsEnteredOnce() {
        reports.run(() -> {
            CancelScope scope = CancelScope.create();
            scope.run(Weft::yield);
            scope.cancel();
            Weft.yield();
            assertThat(scope.cancelCalled()).isTrue();
            assertThat(scope.cancelledCaught()).isFalse();
            assertThatThrownBy(() -> scope.run(() -> {})).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("entered once");
            CancelScope again = CancelScope.create();
            again.run(() -> assertThatThrownBy(() -> again.run(() -> {}))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("entered once"));
            try (Timeout t = Weft.timeout(SECOND)) {
                assertThatThrownBy(() -> t.run(() -> {})).isInstanceOf(IllegalStateException.class);
            }
        });
    }

    @Test
    void aDelayGivenBeforeEntryCountsFromTheEntry() {
        reports.run(() -> {
            CancelScope scope = CancelScope.create();
            scope.reschedule(Duration.ofSeconds(5));
            assertThatThrownBy(scope::deadline).isInstanceOf(IllegalStateException.class);
            Weft.sleep(Duration.ofSeconds(3));
            long start = Weft.nanoTime();
            scope.run(() -> {
                assertThat(Loops.nanos(scope.deadline())).isEqualTo(start + Duration.ofSeconds(5).toNanos());
                Weft.sleep(Duration.ofHours(1));
            });
            assertThat(Weft.nanoTime()).isEqualTo(start + Duration.ofSeconds(5).toNanos());
        });
    }

    @Test
    void aDeadlineThatPassedBeforeEntryCancelsOnEntryAndCancelCalledSaysSoAtOnce() {
        reports.run(() -> {
            CancelScope scope = CancelScope.create();
            scope.rescheduleAt(Loops.at(Weft.nanoTime() + SECOND.toNanos()));
            assertThat(scope.cancelCalled()).isFalse();
            Weft.sleep(Duration.ofSeconds(2));
            assertThat(scope.cancelCalled()).as("not entered, but its deadline has passed").isTrue();
            assertThatThrownBy(() -> scope.reschedule(SECOND)).isInstanceOf(IllegalStateException.class);
            scope.run(() -> {
                Weft.yield();
            });
            assertThat(scope.cancelledCaught()).isTrue();
        });
    }

    @Test
    void theEffectiveDeadlineIsTheNearestOfTheScopesAroundUpToAShield() { // trio's test_current_effective_deadline
        reports.run(() -> {
            assertThat(Loops.nanos(Weft.currentEffectiveDeadline())).isEqualTo(Long.MAX_VALUE);
            CancelScope scope1 = CancelScope.create();
            CancelScope scope2 = CancelScope.create();
            scope1.rescheduleAt(Loops.at(5));
            scope2.rescheduleAt(Loops.at(10));
            scope1.run(() -> {
                scope2.run(() -> {
                    assertThat(Loops.nanos(Weft.currentEffectiveDeadline())).isEqualTo(5);
                    scope2.rescheduleAt(Loops.at(3));
                    assertThat(Loops.nanos(Weft.currentEffectiveDeadline())).isEqualTo(3);
                    scope2.rescheduleAt(Loops.at(10));
                    assertThat(Loops.nanos(Weft.currentEffectiveDeadline())).isEqualTo(5);
                    scope2.shield(true);
                    assertThat(Loops.nanos(Weft.currentEffectiveDeadline())).isEqualTo(10);
                    scope2.shield(false);
                    assertThat(Loops.nanos(Weft.currentEffectiveDeadline())).isEqualTo(5);
                    scope1.cancel();
                    assertThat(Loops.nanos(Weft.currentEffectiveDeadline())).isLessThanOrEqualTo(Weft.nanoTime());
                    scope2.shield(true);
                    assertThat(Loops.nanos(Weft.currentEffectiveDeadline())).isEqualTo(10);
                });
                assertThat(Loops.nanos(Weft.currentEffectiveDeadline())).isLessThanOrEqualTo(Weft.nanoTime());
            });
            assertThat(Loops.nanos(Weft.currentEffectiveDeadline())).isEqualTo(Long.MAX_VALUE);
        });
    }

    @Test
    void theEffectiveDeadlineOfAGroupChildIncludesTheDeadlinesAroundItsGroup() {
        reports.run(() -> {
            try (Timeout _ = Weft.timeout(Duration.ofSeconds(7)); TaskGroup g = TaskGroup.open()) {
                Task<Long> child = g.spawn(() -> Loops.nanos(Weft.currentEffectiveDeadline()));
                Task<Long> free = Weft.spawn(() -> Loops.nanos(Weft.currentEffectiveDeadline()));
                g.join();
                assertThat(child.resultNow()).isEqualTo(Duration.ofSeconds(7).toNanos());
                assertThat(Weft.await(free)).as("Weft.spawn: not under the timeout").isEqualTo(Long.MAX_VALUE);
            }
        });
    }

    @Test
    void aCancellationOfTheTaskGoesThroughAScopeThatIsNotCancelled() {
        reports.run(() -> {
            Task<Void> t = Weft.spawn("worker", () -> {
                CancelScope.create().run(() -> Weft.sleep(Duration.ofHours(1)));
            });
            Weft.yield();
            t.cancel("stop");
            assertThatThrownBy(() -> Weft.await(t)).isInstanceOf(TaskCancelledException.class);
            assertThat(t.isCancelled()).isTrue();
        });
        assertThat(reports.all()).isEmpty();
    }

    @Test
    @ExpectsReports("the swallowed cancellation it pins")
    void aCancelledTaskThatCatchesItsCancellationInsideAScopeIsStillReportedAsSwallowingIt() {
        reports.run(() -> {
            CancelScope scope = CancelScope.create();
            Task<String> t = Weft.spawn("swallower", () -> {
                scope.run(() -> {
                    try {
                        Weft.sleep(Duration.ofHours(1));
                    } catch (CancelledException e) {
                        // swallowed: the scope's cancellation, thrown first, but the task's too
                    }
                });
                return "returned normally";
            });
            Weft.yield();
            scope.cancel();
            t.cancel();
            Weft.await(t);
        });
        assertThat(reports.messages()).singleElement().asString().contains("swallower")
                .contains("caught its CancelledException");
    }

    @Test
    void aTimeoutExpiringDuringTheShieldedCleanupOfAMoveOnScopeGetsItsOwnException() { // review: it leaked
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            Timeout outer = Weft.timeout(Duration.ofSeconds(2));
            try (outer) {
                Weft.moveOnAfter(SECOND, () -> {
                    try {
                        Weft.sleep(Duration.ofSeconds(10));
                    } finally {
                        Weft.withShield(() -> Weft.sleep(Duration.ofSeconds(5))); // the timeout expires meanwhile
                    }
                });
                log.add("not reached: the timeout had expired");
            } catch (DeadlineExceededException e) {
                log.add("timeout caught its own: " + e.isFrom(outer));
                assertThat(e.getSuppressed()).singleElement().isInstanceOf(CancelledException.class);
            }
        });
        assertThat(log).containsExactly("timeout caught its own: true");
    }

    @Test
    void aMoveOnScopeExpiringDuringTheShieldedCleanupOfATimeoutInsideItMovesOn() { // review: it leaked
        reports.run(() -> {
            boolean finished = Weft.moveOnAfter(Duration.ofSeconds(2), () -> {
                try (Timeout _ = Weft.timeout(SECOND)) {
                    try {
                        Weft.sleep(Duration.ofSeconds(10));
                    } finally {
                        Weft.withShield(() -> Weft.sleep(Duration.ofSeconds(5)));
                    }
                }
            });
            assertThat(finished).isFalse();
        });
    }

    @Test
    @ExpectsReports("the swallowed cancellation it pins")
    void aTaskCancelledDuringTheCleanupOfAMoveOnScopeThatSwallowsItIsReported() { // review: not reported
        reports.run(() -> {
            Task<String> t = Weft.spawn("swallower", () -> {
                try {
                    Weft.moveOnAfter(SECOND, () -> {
                        try {
                            Weft.sleep(Duration.ofSeconds(10));
                        } finally {
                            Weft.withShield(() -> Weft.sleep(Duration.ofSeconds(5)));
                        }
                    });
                    return "moved on";
                } catch (CancelledException e) {
                    return "swallowed";
                }
            });
            Weft.sleep(Duration.ofSeconds(2));
            t.cancel();
            assertThat(Weft.await(t)).isEqualTo("swallowed");
        });
        assertThat(reports.messages()).singleElement().asString().contains("swallower")
                .contains("caught its CancelledException");
    }
}
