package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionTest {
    private final Condition cond = new Condition();
    private final Lock lock = cond.lock();
    private final List<String> log = new ArrayList<>();

    /** Whether the current task holds the condition's lock. */
    private boolean holdsLock() {
        return lock.statistics().owner().orElse(null) == Weft.currentTask();
    }

    /** A task that awaits one signal of {@code c} holding its lock, then logs its name. */
    private Task<Void> awaitAndLog(Condition c, String name) {
        return Weft.spawn(name, () -> {
            try (Permit _ = c.lock().hold()) {
                c.await();
                log.add(name);
            }
        });
    }

    private void signalHolding(Runnable signal) {
        try (Permit _ = lock.hold()) {
            signal.run();
        }
    }

    @Test
    void awaitReleasesTheLockWhileWaitingAndHoldsItAgainWhenItReturns() {
        Loops.virtual(() -> {
            Task<Void> waiter = Weft.spawn(() -> {
                try (Permit _ = lock.hold()) {
                    cond.await();
                    log.add("woken holding the lock: " + holdsLock());
                }
            });
            Weft.yield();
            assertThat(lock.isLocked()).isFalse();
            lock.acquire();
            cond.signal();
            Weft.yield();
            assertThat(log).isEmpty(); // signalled, but waiting for the lock main holds
            lock.release();
            Weft.await(waiter);
        });
        assertThat(log).containsExactly("woken holding the lock: true");
    }

    @Test
    void signalWakesTheLongestWaiterOnly() {
        Loops.virtual(() -> {
            List<Task<Void>> waiters = List.of(awaitAndLog(cond, "a"), awaitAndLog(cond, "b"), awaitAndLog(cond, "c"));
            Weft.yield();
            signalHolding(cond::signal);
            Weft.sleep(Duration.ofMillis(1));
            assertThat(log).containsExactly("a");
            assertThat(cond.statistics().waiting()).isEqualTo(2);
            signalHolding(cond::signalAll);
            waiters.forEach(Weft::await);
        });
        assertThat(log).containsExactly("a", "b", "c");
    }

    @Test
    void signalNWakesUpToNWaitersInArrivalOrder() {
        Loops.virtual(() -> {
            List<Task<Void>> waiters = List.of(awaitAndLog(cond, "a"), awaitAndLog(cond, "b"), awaitAndLog(cond, "c"));
            Weft.yield();
            signalHolding(() -> cond.signal(2));
            Weft.sleep(Duration.ofMillis(1));
            assertThat(log).containsExactly("a", "b");
            assertThat(cond.statistics().waiting()).isEqualTo(1);
            signalHolding(() -> cond.signal(5)); // more than wait: wakes the one there is
            waiters.forEach(Weft::await);
        });
        assertThat(log).containsExactly("a", "b", "c");
    }

    @Test
    void signalAllWakesEveryWaiterInArrivalOrder() {
        Loops.virtual(() -> {
            List<Task<Void>> waiters = List.of(awaitAndLog(cond, "a"), awaitAndLog(cond, "b"), awaitAndLog(cond, "c"));
            Weft.yield();
            signalHolding(cond::signalAll);
            assertThat(cond.statistics().waiting()).isZero();
            waiters.forEach(Weft::await);
        });
        assertThat(log).containsExactly("a", "b", "c");
    }

    @Test
    void aNegativeSignalCountIsRejected() {
        Loops.virtual(() -> signalHolding(() -> assertThatThrownBy(() -> cond.signal(-1))
                .isInstanceOf(IllegalArgumentException.class)));
    }

    @Test
    void awaitForChecksThePredicateFirstAndAfterEachWakeUp() {
        int[] value = {0};
        int[] checks = {0};
        Loops.virtual(() -> {
            Task<Void> waiter = Weft.spawn(() -> {
                try (Permit _ = lock.hold()) {
                    cond.awaitFor(() -> {
                        checks[0]++;
                        return value[0] >= 2;
                    });
                    log.add("saw " + value[0]);
                }
            });
            Weft.yield();
            assertThat(checks[0]).isEqualTo(1);
            signalHolding(() -> {
                value[0] = 1;
                cond.signalAll();
            });
            Weft.yield();
            assertThat(checks[0]).isEqualTo(2);
            assertThat(cond.statistics().waiting()).isEqualTo(1); // false again: waits again
            signalHolding(() -> {
                value[0] = 2;
                cond.signalAll();
            });
            Weft.await(waiter);
        });
        assertThat(log).containsExactly("saw 2");
        assertThat(checks[0]).isEqualTo(3);
    }

    @Test
    void awaitForATruePredicateDoesNotWait() {
        Loops.virtual(() -> {
            try (Permit _ = lock.hold()) {
                cond.awaitFor(() -> true);
                assertThat(holdsLock()).isTrue();
            }
        });
    }

    @Test
    void awaitWithoutHoldingTheLockFails() {
        Loops.virtual(() -> {
            assertThatThrownBy(cond::await).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Condition.await").hasMessageContaining("does not hold");
            assertThat(cond.statistics().waiting()).isZero();
        });
    }

    @Test
    void signalWithoutHoldingTheLockFails() {
        Loops.virtual(() -> {
            assertThatThrownBy(cond::signal).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Condition.signal");
            assertThatThrownBy(cond::signalAll).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Condition.signalAll");
        });
    }

    @Test
    void awaitWhileAnotherTaskHoldsTheLockFails() {
        Loops.virtual(() -> {
            Task<Void> holder = Weft.spawn("holder", () -> {
                try (Permit _ = lock.hold()) {
                    Weft.sleep(Duration.ofSeconds(1));
                }
            });
            Weft.yield();
            assertThatThrownBy(cond::await).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("task 'holder' does");
            Weft.await(holder);
        });
    }

    @Test
    void aCancelledAwaitHoldsTheLockAgainWhenTheCancellationPropagates() {
        Loops.virtual(() -> {
            Task<Void> waiter = Weft.spawn(() -> {
                lock.acquire();
                try {
                    cond.await();
                } catch (CancelledException e) {
                    log.add("cancelled holding the lock: " + holdsLock());
                    throw e;
                } finally {
                    lock.release(); // would fail, replacing the cancellation, if the lock were not held
                }
            });
            Weft.yield();
            lock.acquire();
            waiter.cancel();
            Weft.yield();
            assertThat(waiter.isDone()).isFalse(); // waits (shielded) for the lock main holds
            lock.release();
            assertThatThrownBy(() -> Weft.await(waiter)).isInstanceOf(TaskCancelledException.class);
            assertThat(lock.isLocked()).isFalse();
        });
        assertThat(log).containsExactly("cancelled holding the lock: true");
    }

    @Test
    void aTimedOutAwaitHoldsTheLockAgainWhenTheTimeoutPropagates() {
        Loops.virtual(() -> {
            try (Permit _ = lock.hold()) {
                assertThatThrownBy(() -> Weft.withTimeout(Duration.ofSeconds(1), () -> cond.await()))
                        .isInstanceOf(DeadlineExceededException.class);
                assertThat(holdsLock()).isTrue();
                assertThat(cond.statistics().waiting()).isZero();
            }
            assertThat(lock.isLocked()).isFalse();
        });
    }

    @Test
    void aWaiterCancelledBeforeItRunsDoesNotSwallowASignal() {
        Loops.virtual(() -> {
            Task<Void> cancelled = awaitAndLog(cond, "cancelled");
            Task<Void> next = awaitAndLog(cond, "next");
            Weft.yield();
            try (Permit _ = lock.hold()) {
                cancelled.cancel(); // woken, but still first in the queue until it runs
                cond.signal();
            }
            assertThatThrownBy(() -> Weft.await(cancelled)).isInstanceOf(TaskCancelledException.class);
            Weft.await(next);
        });
        assertThat(log).containsExactly("next");
    }

    @Test
    void aWaiterThatTimedOutDoesNotSwallowASignalMeantForTheNext() {
        Loops.virtual(() -> {
            Task<Void> impatient = Weft.spawn(() -> {
                try (Permit _ = lock.hold()) {
                    Weft.withTimeout(Duration.ofSeconds(1), () -> cond.await());
                }
            });
            Task<Void> patient = awaitAndLog(cond, "patient");
            Weft.yield();
            lock.acquire();
            Weft.sleep(Duration.ofSeconds(2)); // impatient times out, then waits for the lock main holds
            cond.signal();
            lock.release();
            assertThatThrownBy(() -> Weft.await(impatient)).hasCauseInstanceOf(DeadlineExceededException.class);
            Weft.await(patient);
        });
        assertThat(log).containsExactly("patient");
    }

    @Test
    void awaitInACancelledTaskThrowsWithoutHandingTheLockAround() {
        Loops.virtual(() -> {
            Task<Void> t = Weft.spawn(() -> {
                try (Permit _ = lock.hold()) {
                    Weft.yield(); // lets other queue for the lock
                    Weft.currentTask().cancel();
                    try {
                        cond.await();
                    } finally {
                        log.add("still holding: " + holdsLock());
                    }
                }
            });
            Task<Void> other = Weft.spawn(() -> {
                try (Permit _ = lock.hold()) {
                    log.add("other got the lock");
                }
            });
            assertThatThrownBy(() -> Weft.await(t)).isInstanceOf(TaskCancelledException.class);
            Weft.await(other);
        });
        assertThat(log).containsExactly("still holding: true", "other got the lock");
    }

    @Test
    void aWaiterCancelledAfterItWasSignalledPassesTheSignalOnAndHoldsTheLockWhenItThrows() {
        Loops.virtual(() -> {
            Task<Void> first = Weft.spawn(() -> {
                try (Permit _ = lock.hold()) {
                    try {
                        cond.await();
                    } catch (CancelledException e) {
                        log.add("first cancelled, holding the lock: "
                                + (lock.statistics().owner().orElse(null) == Weft.currentTask()));
                        throw e;
                    }
                }
            });
            Task<Void> second = Weft.spawn(() -> {
                try (Permit _ = lock.hold()) {
                    cond.await();
                    log.add("second woken");
                }
            });
            Weft.yield();
            lock.acquire();
            cond.signal(); // wakes first, which has not run yet
            first.cancel();
            lock.release();
            assertThatThrownBy(() -> Weft.await(first)).isInstanceOf(TaskCancelledException.class);
            Weft.await(second);
            assertThat(lock.isLocked()).isFalse();
        });
        assertThat(log).containsExactly("first cancelled, holding the lock: true", "second woken");
    }

    @Test
    void aWaiterCancelledAfterTheSignalWhileItReacquiresTheLockThrowsItsCancellationOnceItHoldsTheLock() {
        // asyncio's test_wait_cancel_after_notify (bpo-32841): the task ends cancelled, not normally
        Loops.virtual(() -> {
            Task<Void> waiter = Weft.spawn("waiter", () -> {
                try (Permit _ = lock.hold()) {
                    log.add("waiting");
                    try {
                        cond.await();
                        log.add("returned normally");
                    } catch (CancelledException e) {
                        log.add("cancelled, holding the lock: " + holdsLock() + ", reason: " + e.getMessage());
                        throw e;
                    }
                }
            });
            Weft.yield(); // starts waiting
            lock.acquire();
            cond.signal();
            Weft.yield(); // the waiter runs: signalled, it waits to re-acquire the lock main holds
            assertThat(waiter.state()).isEqualTo(Task.State.SUSPENDED);
            waiter.cancel("stop");
            Weft.yield(); // the cancellation reaches it, shielded while it waits for the lock
            assertThat(waiter.isDone()).isFalse();
            lock.release();
            assertThatThrownBy(() -> Weft.await(waiter)).isInstanceOf(TaskCancelledException.class);
            assertThat(waiter.isCancelled()).isTrue();
            assertThat(lock.isLocked()).isFalse();
        });
        assertThat(log).containsExactly("waiting", "cancelled, holding the lock: true, reason: stop");
    }

    @Test
    void aWaiterCancelledWhileItReacquiresTheLockPassesItsSignalOn() {
        Loops.virtual(() -> {
            Task<Void> first = Weft.spawn("first", () -> {
                try (Permit _ = lock.hold()) {
                    cond.await();
                    log.add("first woken");
                }
            });
            Task<Void> second = awaitAndLog(cond, "second");
            Weft.yield();
            lock.acquire();
            cond.signal(); // one signal, for first
            Weft.yield(); // first runs and waits for the lock
            first.cancel();
            Weft.yield();
            lock.release();
            assertThatThrownBy(() -> Weft.await(first)).isInstanceOf(TaskCancelledException.class);
            Weft.await(second); // the signal first could not use went to second: nothing hangs
        });
        assertThat(log).containsExactly("second");
    }

    @Test
    void aWaiterTimedOutWhileItReacquiresTheLockGetsItsTimeoutOnceItHoldsTheLock() {
        Loops.virtual(() -> {
            Task<Void> waiter = Weft.spawn("waiter", () -> {
                try (Permit _ = lock.hold()) {
                    try {
                        Weft.withTimeout(Duration.ofSeconds(1), () -> cond.await());
                    } catch (DeadlineExceededException e) {
                        log.add("timed out, holding the lock: " + holdsLock());
                    }
                }
            });
            Weft.yield();
            lock.acquire();
            cond.signal();
            Weft.yield(); // signalled, the waiter waits for the lock
            Weft.sleep(Duration.ofSeconds(2)); // its timeout passes meanwhile
            lock.release();
            Weft.await(waiter);
        });
        assertThat(log).containsExactly("timed out, holding the lock: true");
    }

    @Test
    void statisticsShowTheWaitersAndTheLock() {
        Loops.virtual(() -> {
            Task<Void> a = awaitAndLog(cond, "a");
            Task<Void> b = awaitAndLog(cond, "b");
            Weft.yield();
            lock.acquire();
            Condition.Statistics s = cond.statistics();
            assertThat(s.waiting()).isEqualTo(2);
            assertThat(s.lock()).isEqualTo(lock.statistics());
            assertThat(s.lock().owner()).containsSame(Weft.currentTask());
            cond.signalAll();
            lock.release();
            Weft.await(a);
            Weft.await(b);
        });
    }

    @Test
    void conditionsSharingALockWakeOnlyTheirOwnWaiters() {
        Lock shared = new Lock();
        Condition notEmpty = new Condition(shared);
        Condition notFull = new Condition(shared);
        assertThat(notEmpty.lock()).isSameAs(shared);
        assertThat(notFull.lock()).isSameAs(shared);
        Loops.virtual(() -> {
            Task<Void> consumer = awaitAndLog(notEmpty, "consumer");
            Task<Void> producer = awaitAndLog(notFull, "producer");
            Weft.yield();
            try (Permit _ = shared.hold()) {
                notFull.signalAll();
            }
            Weft.await(producer);
            assertThat(consumer.isDone()).isFalse();
            assertThat(notEmpty.statistics().waiting()).isEqualTo(1);
            try (Permit _ = shared.hold()) {
                notEmpty.signal();
            }
            Weft.await(consumer);
        });
        assertThat(log).containsExactly("producer", "consumer");
    }
}
