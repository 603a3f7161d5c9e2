package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final Lock lock = new Lock();
    private final List<String> log = new ArrayList<>();

    /** A task that acquires the lock, logs its name and releases it. */
    private Task<Void> enterAndLog(String name) {
        return Weft.spawn(name, () -> {
            lock.acquire();
            log.add(name);
            lock.release();
        });
    }

    @Test
    void onlyOneTaskIsInsideAcrossSuspensionPoints() {
        int[] inside = {0, 0}; // current, most seen
        Loops.virtual(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(Weft.spawn(() -> {
                    try (Permit _ = lock.hold()) {
                        inside[1] = Math.max(inside[1], ++inside[0]);
                        Weft.sleep(Duration.ofMillis(10));
                        inside[0]--;
                    }
                }));
            }
            tasks.forEach(Weft::await);
            assertThat(Weft.nanoTime()).isEqualTo(Duration.ofMillis(30).toNanos()); // one after another
        });
        assertThat(inside[1]).isEqualTo(1);
    }

    @Test
    void releaseHandsTheLockToWaitersInArrivalOrder() {
        Loops.virtual(() -> {
            lock.acquire();
            List<Task<Void>> tasks = List.of(enterAndLog("a"), enterAndLog("b"), enterAndLog("c"));
            Weft.yield();
            lock.release();
            tasks.forEach(Weft::await);
        });
        assertThat(log).containsExactly("a", "b", "c");
    }

    @Test
    void aReleasingTaskThatAcquiresAgainAtOnceQueuesBehindTheWaiter() {
        Loops.virtual(() -> {
            lock.acquire();
            Task<Void> waiter = enterAndLog("waiter");
            Weft.yield();
            lock.release();
            assertThat(lock.statistics().owner()).containsSame(waiter); // handed over before it runs
            lock.acquire();
            log.add("main");
            lock.release();
        });
        assertThat(log).containsExactly("waiter", "main");
    }

    @Test
    void acquiringTwiceIsNotReentrantAndNamesTheTask() {
        Loops.virtual(() -> Weft.await(Weft.spawn("twice", () -> {
            lock.acquire();
            assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("task 'twice' already holds").hasMessageContaining("not reentrant");
            assertThat(lock.statistics().owner()).containsSame(Weft.currentTask());
        })));
    }

    @Test
    void releasingAnUnlockedLockFails() {
        Loops.virtual(() -> {
            assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("task 'main' does not hold").hasMessageContaining("unlocked");
            assertThat(lock.isLocked()).isFalse();
        });
    }

    @Test
    void releasingByANonOwnerFailsSayingWhoHoldsIt() {
        Loops.virtual(() -> {
            Task<Void> holder = Weft.spawn("holder", () -> {
                lock.acquire();
                Weft.sleep(SECOND);
                lock.release();
            });
            Weft.yield();
            assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("task 'main' does not hold").hasMessageContaining("task 'holder' does");
            assertThat(lock.statistics().owner()).containsSame(holder);
            Weft.await(holder);
        });
    }

    @Test
    void tryAcquireTakesAFreeLockAndReturnsFalseWhenItIsHeld() {
        Loops.virtual(() -> {
            assertThat(lock.tryAcquire()).isTrue();
            assertThat(lock.tryAcquire()).isFalse(); // held, by this very task
            Task<Boolean> other = Weft.spawn(lock::tryAcquire);
            assertThat(Weft.await(other)).isFalse();
            lock.release();
            assertThat(Weft.await(Weft.spawn(lock::tryAcquire))).isTrue();
        });
    }

    @Test
    void isLockedFollowsAcquireAndRelease() {
        Loops.virtual(() -> {
            assertThat(lock.isLocked()).isFalse();
            lock.acquire();
            assertThat(lock.isLocked()).isTrue();
            lock.release();
            assertThat(lock.isLocked()).isFalse();
        });
    }

    @Test
    void holdReleasesWhenTheBlockEndsEvenByAnException() {
        Loops.virtual(() -> {
            assertThatThrownBy(() -> {
                try (Permit _ = lock.hold()) {
                    assertThat(lock.isLocked()).isTrue();
                    throw new IllegalArgumentException("boom");
                }
            }).hasMessage("boom");
            assertThat(lock.isLocked()).isFalse();
        });
    }

    @Test
    void closingAHoldTwiceReleasesOnce() {
        Loops.virtual(() -> {
            Permit p = lock.hold();
            p.close();
            Task<Void> next = Weft.spawn("next", () -> {
                lock.acquire();
                Weft.sleep(SECOND);
                lock.release();
            });
            Weft.yield();
            p.close(); // must neither release next's lock nor fail
            assertThat(lock.statistics().owner()).containsSame(next);
            Weft.await(next);
        });
    }

    @Test
    void statisticsShowTheOwnerAndHowManyWait() {
        Loops.virtual(() -> {
            assertThat(lock.statistics()).isEqualTo(new Lock.Statistics(java.util.Optional.empty(), 0));
            lock.acquire();
            List<Task<Void>> waiters = List.of(enterAndLog("a"), enterAndLog("b"));
            Weft.yield();
            Lock.Statistics s = lock.statistics();
            assertThat(s.owner()).containsSame(Weft.currentTask());
            assertThat(s.waiting()).isEqualTo(2);
            lock.release();
            waiters.forEach(Weft::await);
            assertThat(lock.statistics().waiting()).isZero();
        });
    }

    @Test
    void aCancelledWaiterDoesNotGetTheLockNorBlockTheOneBehind() {
        Loops.virtual(() -> {
            lock.acquire();
            Task<Void> first = enterAndLog("first");
            Task<Void> second = enterAndLog("second");
            Weft.yield();
            first.cancel(); // woken, but it has not run yet: still in the queue
            lock.release();
            assertThat(lock.statistics().owner()).containsSame(second);
            assertThatThrownBy(() -> Weft.await(first)).isInstanceOf(TaskCancelledException.class);
            Weft.await(second);
            assertThat(lock.isLocked()).isFalse();
        });
        assertThat(log).containsExactly("second");
    }

    @Test
    void aTimedOutWaiterGivesUpWithoutTheLock() {
        Loops.virtual(() -> {
            lock.acquire();
            Task<Void> impatient = Weft.spawn(() -> Weft.withTimeout(SECOND, () -> lock.acquire()));
            Weft.sleep(Duration.ofSeconds(2));
            assertThatThrownBy(() -> Weft.await(impatient)).hasCauseInstanceOf(DeadlineExceededException.class);
            assertThat(lock.statistics().waiting()).isZero();
            lock.release();
            assertThat(lock.isLocked()).isFalse();
        });
    }

    @Test
    void aWaiterCancelledAfterTheLockWasHandedToItHandsItOnAndThrows() {
        Loops.virtual(() -> {
            lock.acquire();
            Task<Void> first = Weft.spawn("first", () -> {
                lock.acquire();
                log.add("first acquired");
            });
            Task<Void> second = Weft.spawn("second", () -> {
                lock.acquire();
                log.add("second acquired, owner " + lock.statistics().owner().map(Task::name).orElse("none"));
                lock.release();
            });
            Weft.yield();
            lock.release(); // hands it to first, which has not run yet
            first.cancel();
            assertThatThrownBy(() -> Weft.await(first)).isInstanceOf(TaskCancelledException.class);
            Weft.await(second);
            assertThat(lock.isLocked()).isFalse();
        });
        assertThat(log).containsExactly("second acquired, owner second");
    }

    @Test
    void aLockHandedToACancelledWaiterIsNotLostAndPassesToTheNextWaiter() {
        Loops.virtual(() -> {
            lock.acquire();
            Task<Void> cancelled = Weft.spawn(() -> {
                try (Permit _ = lock.hold()) {
                    Weft.yield(); // throws the cancellation; the hold releases
                }
            });
            Task<Void> next = enterAndLog("next");
            Weft.yield();
            lock.release();
            cancelled.cancel();
            assertThatThrownBy(() -> Weft.await(cancelled)).isInstanceOf(TaskCancelledException.class);
            Weft.await(next);
        });
        assertThat(log).containsExactly("next");
    }

    @Test
    void acquiringAFreeLockInACancelledTaskThrows() {
        Loops.virtual(() -> {
            Task<Void> t = Weft.spawn(() -> {
                Weft.currentTask().cancel();
                lock.acquire();
                log.add("acquired");
            });
            assertThatThrownBy(() -> Weft.await(t)).isInstanceOf(TaskCancelledException.class);
            assertThat(lock.isLocked()).isFalse();
        });
        assertThat(log).isEmpty();
    }

    @Test
    void aPermitClosedByTheWrongTaskStaysUsableByItsOwner() {
        Loops.virtual(() -> {
            Permit p = lock.hold();
            Task<Void> other = Weft.spawn(p::close);
            assertThatThrownBy(() -> Weft.await(other)).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(IllegalStateException.class).cause().hasMessageContaining("does not hold");
            assertThat(lock.isLocked()).isTrue();
            p.close(); // the owner's close still releases
            assertThat(lock.isLocked()).isFalse();
        });
    }
}
