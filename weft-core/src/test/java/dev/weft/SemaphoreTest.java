package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemaphoreTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final List<String> log = new ArrayList<>();

    /** A task that takes a permit of {@code s}, logs its name and keeps the permit. */
    private Task<Void> takeAndLog(Semaphore s, String name) {
        return Weft.spawn(name, () -> {
            s.acquire();
            log.add(name);
        });
    }

    @Test
    void acquireAndReleaseCountPermits() {
        Semaphore s = new Semaphore(2);
        Loops.virtual(() -> {
            s.acquire();
            assertThat(s.availablePermits()).isEqualTo(1);
            s.acquire();
            assertThat(s.availablePermits()).isZero();
            s.release();
            assertThat(s.availablePermits()).isEqualTo(1);
        });
    }

    @Test
    void aSemaphoreWithZeroPermitsMakesTheFirstAcquireWait() {
        Semaphore s = new Semaphore(0);
        Loops.virtual(() -> {
            Task<Void> t = takeAndLog(s, "t");
            Weft.yield();
            assertThat(t.isDone()).isFalse();
            s.release();
            Weft.await(t);
        });
        assertThat(log).containsExactly("t");
    }

    @Test
    void releasedPermitsGoToWaitersInArrivalOrder() {
        Semaphore s = new Semaphore(0);
        Loops.virtual(() -> {
            List<Task<Void>> tasks = List.of(takeAndLog(s, "a"), takeAndLog(s, "b"), takeAndLog(s, "c"));
            Weft.yield();
            s.release();
            s.release();
            Weft.yield();
            assertThat(log).containsExactly("a", "b");
            s.release();
            tasks.forEach(Weft::await);
        });
        assertThat(log).containsExactly("a", "b", "c");
    }

    @Test
    void aReleasedPermitIsHandedToTheWaiterNotLeftForTryAcquire() {
        Semaphore s = new Semaphore(0);
        Loops.virtual(() -> {
            Task<Void> waiter = takeAndLog(s, "waiter");
            Weft.yield();
            s.release();
            assertThat(s.availablePermits()).isZero();
            assertThat(s.tryAcquire()).isFalse();
            Weft.await(waiter);
        });
        assertThat(log).containsExactly("waiter");
    }

    @Test
    void tryAcquireTakesAFreePermitAndReturnsFalseWhenNoneIsFree() {
        Semaphore s = new Semaphore(1);
        Loops.virtual(() -> {
            assertThat(s.tryAcquire()).isTrue();
            assertThat(s.availablePermits()).isZero();
            assertThat(s.tryAcquire()).isFalse();
        });
    }

    @Test
    void holdReleasesOnCloseAndClosingTwiceReleasesOnce() {
        Semaphore s = new Semaphore(1); // not bounded: a second release would create a permit
        Loops.virtual(() -> {
            Permit p = s.hold();
            assertThat(s.availablePermits()).isZero();
            p.close();
            p.close();
            assertThat(s.availablePermits()).isEqualTo(1);
        });
    }

    @Test
    void statisticsShowFreePermitsAndWaiters() {
        Semaphore s = new Semaphore(1);
        Loops.virtual(() -> {
            assertThat(s.statistics()).isEqualTo(new Semaphore.Statistics(1, 0));
            s.acquire();
            takeAndLog(s, "a");
            takeAndLog(s, "b");
            Weft.yield();
            assertThat(s.statistics()).isEqualTo(new Semaphore.Statistics(0, 2));
            s.release();
            s.release();
            Weft.yield();
            assertThat(s.statistics()).isEqualTo(new Semaphore.Statistics(0, 0));
        });
    }

    @Test
    void negativePermitsAreRejected() {
        assertThatThrownBy(() -> new Semaphore(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> new BoundedSemaphore(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBoundedSemaphoreRejectsAReleasePastItsBoundAndStaysUnchanged() {
        BoundedSemaphore s = new BoundedSemaphore(2);
        Loops.virtual(() -> {
            s.acquire();
            s.release();
            assertThatThrownBy(s::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released more times than acquired");
            assertThat(s.statistics()).isEqualTo(new Semaphore.Statistics(2, 0));
            assertThat(s.tryAcquire()).isTrue();
            assertThat(s.tryAcquire()).isTrue();
            assertThat(s.tryAcquire()).isFalse(); // still exactly 2 permits
        });
    }

    @Test
    void aBoundedSemaphoreHandsAReleaseToAWaiter() {
        BoundedSemaphore s = new BoundedSemaphore(1);
        Loops.virtual(() -> {
            s.acquire();
            Task<Void> waiter = takeAndLog(s, "waiter");
            Weft.yield();
            s.release();
            Weft.await(waiter);
            assertThat(s.availablePermits()).isZero();
        });
        assertThat(log).containsExactly("waiter");
    }

    @Test
    void aBoundedSemaphoreOfZeroRejectsAnyRelease() {
        BoundedSemaphore s = new BoundedSemaphore(0);
        Loops.virtual(() -> {
            assertThatThrownBy(s::release).isInstanceOf(IllegalStateException.class);
            assertThat(s.availablePermits()).isZero();
        });
    }

    @Test
    void aCancelledWaiterLosesNoPermitAndDoesNotBlockTheOneBehind() {
        BoundedSemaphore s = new BoundedSemaphore(1);
        Loops.virtual(() -> {
            s.acquire();
            Task<Void> first = takeAndLog(s, "first");
            Task<Void> second = Weft.spawn("second", () -> {
                s.acquire();
                log.add("second");
                s.release();
            });
            Weft.yield();
            first.cancel();
            s.release();
            assertThatThrownBy(() -> Weft.await(first)).isInstanceOf(TaskCancelledException.class);
            Weft.await(second);
            assertThat(s.availablePermits()).isEqualTo(1);
        });
        assertThat(log).containsExactly("second");
    }

    @Test
    void aTimedOutWaiterLosesNoPermit() {
        BoundedSemaphore s = new BoundedSemaphore(1);
        Loops.virtual(() -> {
            s.acquire();
            Task<Void> impatient = Weft.spawn(() -> Weft.withTimeout(SECOND, () -> s.acquire()));
            Weft.sleep(Duration.ofSeconds(2));
            assertThatThrownBy(() -> Weft.await(impatient)).hasCauseInstanceOf(DeadlineExceededException.class);
            s.release();
            assertThat(s.statistics()).isEqualTo(new Semaphore.Statistics(1, 0));
        });
    }

    @Test
    void aWaiterCancelledAfterAPermitWasHandedToItHandsItOnAndNoPermitIsLostOrCreated() {
        BoundedSemaphore s = new BoundedSemaphore(1);
        Loops.virtual(() -> {
            s.acquire();
            Task<Void> first = Weft.spawn(() -> {
                try (Permit _ = s.hold()) {
                    log.add("first acquired");
                }
            });
            Task<Void> second = Weft.spawn(() -> {
                try (Permit _ = s.hold()) {
                    log.add("second acquired");
                }
            });
            Weft.yield();
            s.release(); // handed to first, which has not run yet
            first.cancel();
            assertThatThrownBy(() -> Weft.await(first)).isInstanceOf(TaskCancelledException.class);
            Weft.await(second);
            assertThat(s.availablePermits()).isEqualTo(1);
        });
        assertThat(log).containsExactly("second acquired");
    }

    @Test
    void acquiringAFreePermitInACancelledTaskThrowsAndTakesNone() {
        Semaphore s = new Semaphore(1);
        Loops.virtual(() -> {
            Task<Void> t = Weft.spawn(() -> {
                Weft.currentTask().cancel();
                s.acquire();
            });
            assertThatThrownBy(() -> Weft.await(t)).isInstanceOf(TaskCancelledException.class);
            assertThat(s.availablePermits()).isEqualTo(1);
        });
    }

    @Test
    void aBoundedSemaphoreOfZeroRejectsAReleaseEvenWithAWaiter() {
        BoundedSemaphore s = new BoundedSemaphore(0);
        Loops.virtual(() -> {
            Task<Void> waiter = Weft.spawn(s::acquire);
            Weft.yield();
            assertThatThrownBy(s::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("released more times than acquired");
            assertThat(s.statistics()).isEqualTo(new Semaphore.Statistics(0, 1));
            waiter.cancel();
        });
    }
}
