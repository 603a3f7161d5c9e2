package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeoutTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private final Reports reports = new Reports();

    @Test
    void anHourLongTimeoutRunsInMillisecondsOnTheVirtualClock() {
        long t0 = System.nanoTime();
        reports.run(() -> {
            assertThatThrownBy(() -> Weft.withTimeout(Duration.ofHours(1), () -> Weft.sleep(Duration.ofHours(2))))
                    .isInstanceOf(DeadlineExceededException.class).hasMessageContaining("3600.000 s");
            assertThat(Weft.nanoTime()).isEqualTo(Duration.ofHours(1).toNanos());
        });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBodyThatFinishesInTimeReturnsItsValue() {
        reports.run(() -> {
            assertThat(Weft.withTimeout(SECOND, () -> {
                Weft.sleep(Duration.ofMillis(999));
                return "done";
            })).isEqualTo("done");
            assertThat(Weft.nanoTime()).isEqualTo(Duration.ofMillis(999).toNanos());
        });
    }

    @Test
    void theTryWithResourcesFormExpiresAtItsDeadline() {
        reports.run(() -> {
            Timeout t = Weft.timeout(SECOND);
            try (t) {
                Weft.sleep(Duration.ofSeconds(10));
            } catch (DeadlineExceededException e) {
                assertThat(t.expired()).isTrue();
            }
            assertThat(Weft.nanoTime()).isEqualTo(SECOND.toNanos());
            Weft.sleep(SECOND); // the task goes on after the scope
        });
    }

    @Test
    void theInnermostExpiredScopeThrowsAndAnExpiredOuterOneStaysExpired() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            try (Timeout _ = Weft.timeout(Duration.ofSeconds(2))) {
                try (Timeout _ = Weft.timeout(SECOND)) {
                    Weft.sleep(Duration.ofSeconds(5));
                } catch (DeadlineExceededException e) {
                    log.add("inner at " + Weft.nanoTime() / 1_000_000_000);
                }
                Weft.sleep(Duration.ofSeconds(5));
            } catch (DeadlineExceededException e) {
                log.add("outer at " + Weft.nanoTime() / 1_000_000_000);
            }
        });
        assertThat(log).containsExactly("inner at 1", "outer at 2");
    }

    @Test
    void anOuterScopeThatExpiresFirstUnwindsTheInnerOne() {
        reports.run(() -> {
            Timeout outer = Weft.timeout(SECOND);
            Timeout inner;
            try (outer) {
                inner = Weft.timeout(Duration.ofSeconds(5));
                try (inner) {
                    Weft.sleep(Duration.ofSeconds(10));
                }
            } catch (DeadlineExceededException e) {
                assertThat(outer.expired()).isTrue();
                assertThat(Weft.nanoTime()).isEqualTo(SECOND.toNanos());
                return;
            }
            throw new AssertionError("not timed out");
        });
    }

    @Test
    void whenBothExpireTheOuterWinsAsInAsyncioAndTrio() {
        // asyncio: the inner timeout's __aexit__ sees another cancellation pending and lets it through
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            Timeout outer = Weft.timeout(SECOND);
            try (outer) {
                Timeout inner = Weft.timeout(SECOND);
                try (inner) {
                    Weft.sleep(Duration.ofSeconds(3));
                } catch (DeadlineExceededException e) {
                    log.add(e.isFrom(inner) ? "inner's" : "outer's, through the inner block");
                    throw e;
                }
            } catch (DeadlineExceededException e) {
                log.add(e.isFrom(outer) ? "outer caught its own" : "not its own");
                assertThat(outer.cancelledCaught()).isTrue();
            }
        });
        assertThat(log).containsExactly("outer's, through the inner block", "outer caught its own");
    }

    @Test
    void anInnerTimeoutExpiringInsideAnExpiredMoveOnScopeEndsTheMoveOnQuietly() { // trio: the outer scope wins
        reports.run(() -> {
            boolean finished = Weft.moveOnAfter(SECOND, () -> {
                try (Timeout _ = Weft.timeout(SECOND)) {
                    Weft.sleep(Duration.ofSeconds(2));
                }
            });
            assertThat(finished).isFalse();
            assertThat(Weft.nanoTime()).isEqualTo(SECOND.toNanos());
        });
    }

    @Test
    void theDeadlineCanBeMovedUntilItPasses() {
        reports.run(() -> {
            try (Timeout t = Weft.timeout(SECOND)) {
                t.reschedule(Duration.ofSeconds(3));
                assertThat(Loops.nanos(t.deadline())).isEqualTo(Duration.ofSeconds(3).toNanos());
                Weft.sleep(Duration.ofSeconds(2));
                t.removeDeadline();
                Weft.sleep(Duration.ofSeconds(100));
                t.reschedule(Duration.ZERO);
                assertThat(t.expired()).isTrue();
                assertThatThrownBy(() -> t.reschedule(SECOND)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("already expired");
                Weft.yield();
            } catch (DeadlineExceededException e) {
                assertThat(Weft.nanoTime()).isEqualTo(Duration.ofSeconds(102).toNanos());
                return;
            }
            throw new AssertionError("not timed out");
        });
    }

    @Test
    void aBlockThatReachesNoSuspensionPointAfterTheDeadlineIsNotInterrupted() {
        String got = reports.run(() -> {
            try (Timeout t = Weft.timeoutAt(Deadline.after(Duration.ZERO))) { // expired at once
                assertThat(t.expired()).isTrue();
                return "finished without waiting"; // and nothing in the block waits: no exception
            }
        });
        assertThat(got).isEqualTo("finished without waiting");
    }

    @Test
    void aTimeoutCancelsTheTasksOfAGroupInsideIt() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            try (Timeout _ = Weft.timeout(SECOND); TaskGroup g = TaskGroup.open()) {
                g.spawn("child", () -> {
                    try {
                        Weft.sleep(Duration.ofHours(1));
                    } catch (CancelledException e) {
                        log.add("child cancelled at " + Weft.nanoTime() / 1_000_000_000);
                        throw e;
                    }
                });
                g.join();
            } catch (DeadlineExceededException e) {
                log.add("block timed out");
            }
        });
        assertThat(log).containsExactly("child cancelled at 1", "block timed out");
    }

    @Test
    void aShieldProtectsCleanupFromTheExpiredTimeout() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            try (Timeout _ = Weft.timeout(SECOND)) {
                try {
                    Weft.sleep(Duration.ofSeconds(5));
                } finally {
                    Weft.withShield(() -> {
                        Weft.sleep(SECOND);
                        log.add("cleaned up at " + Weft.nanoTime() / 1_000_000_000);
                    });
                }
            } catch (DeadlineExceededException e) {
                log.add("timed out");
            }
        });
        assertThat(log).containsExactly("cleaned up at 2", "timed out");
    }

    @Test
    void scopesMustBeClosedInOrderByTheirOwner() {
        reports.run(() -> {
            Timeout outer = Weft.timeout(SECOND);
            Timeout inner = Weft.timeout(SECOND);
            assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("reverse order");
            Task<Void> other = Weft.spawn(() -> inner.close());
            assertThatThrownBy(() -> Weft.await(other)).hasRootCauseMessage(
                    "a Timeout must be closed by the task that opened it (task 'main'), in the reverse order of opening: use try-with-resources");
            inner.close();
            outer.close();
            outer.close(); // idempotent
        });
    }

    @Test
    void aTimeoutEscapingATaskIsAFailureNotACancellation() {
        reports.run(() -> {
            Task<Void> t = Weft.spawn(() -> Weft.withTimeout(SECOND, () -> Weft.sleep(Duration.ofSeconds(2))));
            assertThatThrownBy(() -> Weft.await(t)).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(DeadlineExceededException.class);
            assertThat(t.isCancelled()).isFalse();
        });
    }

    @Test
    void aTimeoutClosedBeforeItsDeadlineNeverExpiresAndCancelledNothing() { // trio: cancel_called stays false
        reports.run(() -> {
            Timeout t = Weft.timeout(SECOND);
            try (t) {
                Weft.sleep(Duration.ofMillis(500));
            }
            Weft.sleep(Duration.ofSeconds(2));
            assertThat(t.expired()).isFalse();
            assertThat(t.cancelCalled()).isFalse();
            assertThat(t.cancelledCaught()).isFalse();
        });
    }

    @Test
    void anExpiredTimeoutSaysSoEvenBeforeItsTimerFiredAndCaughtOnceTheBlockGotItsException() {
        try (Loop loop = Loop.builder().noStallWatchdog().build()) { // real time: the timer cannot run while we spin
            loop.run(() -> {
                Timeout t = Weft.timeout(Duration.ofMillis(20));
                try (t) {
                    long until = System.nanoTime() + Duration.ofMillis(30).toNanos();
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait(); // holds the turn past the deadline
                    }
                    assertThat(t.cancelledCaught()).isFalse();
                    assertThat(t.expired()).isTrue();
                    assertThat(t.cancelCalled()).isTrue();
                    Weft.yield();
                } catch (DeadlineExceededException e) {
                    assertThat(e.isFrom(t)).isTrue();
                }
                assertThat(t.cancelledCaught()).isTrue();
            });
        }
    }

    @Test
    void aTimeoutCancelledByHandFailsItsBlockAsTriosFailAfterDoes() {
        reports.run(() -> {
            Timeout t = Weft.timeout(Duration.ofHours(1));
            assertThatThrownBy(() -> {
                try (t) {
                    t.cancel("enough");
                    Weft.sleep(SECOND);
                }
            }).isInstanceOf(DeadlineExceededException.class).hasMessage("timeout cancelled: enough");
            assertThat(t.cancelCalled()).isTrue();
            assertThat(t.cancelledCaught()).isTrue();
            assertThat(t.expired()).as("its deadline did not pass").isFalse();
        });
    }

    @Test
    void aShieldedTimeoutIsNotReachedByOuterCancellationButStillFailsAtItsOwnDeadline() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            CancelScope outer = CancelScope.create();
            outer.run(() -> {
                try (Timeout t = Weft.timeout(SECOND)) {
                    t.shield(true);
                    outer.cancel();
                    Weft.yield(); // shielded from outer
                    Weft.sleep(Duration.ofHours(1));
                } catch (DeadlineExceededException e) {
                    log.add("timed out at " + Weft.nanoTime() / 1_000_000_000);
                }
                try (Timeout t = Weft.timeout(SECOND)) {
                    t.shield(true);
                    Weft.yield();
                    t.shield(false);
                    Weft.yield();
                    log.add("not reached");
                }
            });
            assertThat(outer.cancelledCaught()).isTrue();
        });
        assertThat(log).containsExactly("timed out at 1");
    }

    @Test
    void negativeDurationsMeanNowAsInAsyncio() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            Task<?> other = Weft.spawn(() -> log.add("other ran"));
            Weft.sleep(Duration.ofSeconds(-1)); // a yield: the other task runs
            log.add("slept");
            assertThat(other.isDone()).isTrue();
            assertThatThrownBy(() -> Weft.withTimeout(Duration.ofSeconds(-1), Weft::yield))
                    .isInstanceOf(DeadlineExceededException.class);
            try (Timeout t = Weft.timeout(Duration.ofMinutes(-5))) {
                assertThat(t.expired()).isTrue();
                assertThat(Loops.nanos(t.deadline())).isEqualTo(Weft.nanoTime());
            }
            assertThat(Weft.moveOnAfter(Duration.ofSeconds(-1), () -> Weft.sleep(SECOND))).isFalse();
            try (Timeout t = Weft.timeout(Duration.ofHours(1))) {
                t.reschedule(Duration.ofSeconds(-1));
                assertThat(t.expired()).isTrue();
            }
            assertThat(Weft.nanoTime()).isZero();
        });
        assertThat(log).containsExactly("other ran", "slept");
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
            Task<Void>[] x = (Task<Void>[]) new Task<?>[2];
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

    /** A timeout whose deadline passed, before its timer fired, could still be rescheduled. */
    @Test
    void aTimeoutWhoseDeadlinePassedIsExpiredAtOnce() {
        try (Loop loop = Loop.builder().noStallWatchdog().reporter(reports).build()) {
            loop.run(() -> {
                Timeout t = Weft.timeout(Duration.ofMillis(1));
                boolean[] expired = {false};
                Throwable[] rescheduled = {null};
                assertThatThrownBy(() -> {
                    try (t) {
                        long end = System.nanoTime() + 5_000_000;
                        while (System.nanoTime() < end) {
                            Thread.onSpinWait(); // the deadline passes without a suspension point
                        }
                        expired[0] = t.expired();
                        rescheduled[0] = catchThrowable(() -> t.reschedule(Duration.ofHours(1)));
                        Weft.yield();
                    }
                }).isInstanceOfSatisfying(DeadlineExceededException.class, e -> assertThat(e.isFrom(t)).isTrue());
                assertThat(expired[0]).isTrue();
                assertThat(rescheduled[0]).isInstanceOf(IllegalStateException.class);
            });
        }
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
}
