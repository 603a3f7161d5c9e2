package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapacityLimiterTest {
    private final List<String> log = new ArrayList<>();

    /** A task that borrows a token of {@code limiter} for itself, logs its name and keeps the token. */
    private Task<Void> borrowAndLog(CapacityLimiter limiter, String name) {
        return Weft.spawn(name, () -> {
            limiter.acquire();
            log.add(name);
        });
    }

    @Test
    void theCurrentTaskBorrowsOneToken() {
        CapacityLimiter limiter = new CapacityLimiter(2);
        Loops.virtual(() -> {
            limiter.acquire();
            assertThat(limiter.availableTokens()).isEqualTo(1);
            assertThat(limiter.statistics().borrowers()).containsExactly(Weft.currentTask());
            limiter.release();
            assertThat(limiter.availableTokens()).isEqualTo(2);
        });
    }

    @Test
    void oneTaskCanBorrowOnBehalfOfSeveralObjects() {
        CapacityLimiter limiter = new CapacityLimiter(2);
        Loops.virtual(() -> {
            limiter.acquire("conn-1");
            limiter.acquire("conn-2");
            assertThat(limiter.availableTokens()).isZero();
            assertThat(limiter.statistics().borrowers()).containsExactlyInAnyOrder("conn-1", "conn-2");
            limiter.release("conn-1");
            assertThat(limiter.statistics().borrowers()).containsExactly("conn-2");
        });
    }

    @Test
    void theSameBorrowerCannotHoldTwoTokens() {
        CapacityLimiter limiter = new CapacityLimiter(3);
        Loops.virtual(() -> {
            limiter.acquire("conn");
            assertThatThrownBy(() -> limiter.acquire("conn")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("conn already holds");
            assertThatThrownBy(() -> limiter.tryAcquire("conn")).isInstanceOf(IllegalStateException.class);
            limiter.acquire();
            assertThatThrownBy(limiter::acquire).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("task 'main' already holds");
            assertThat(limiter.statistics().borrowedTokens()).isEqualTo(2);
        });
    }

    @Test
    void aBorrowerThatWaitsCannotAcquireAgain() {
        CapacityLimiter limiter = new CapacityLimiter(1);
        Loops.virtual(() -> {
            limiter.acquire("held");
            Task<Void> waiter = Weft.spawn(() -> limiter.acquire("job"));
            Weft.yield();
            assertThatThrownBy(() -> limiter.tryAcquire("job")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("job already waits for");
            limiter.release("held");
            Weft.await(waiter);
            assertThat(limiter.statistics().borrowers()).containsExactly("job");
        });
    }

    @Test
    void releaseByANonBorrowerFailsAndChangesNothing() {
        CapacityLimiter limiter = new CapacityLimiter(2);
        Loops.virtual(() -> {
            limiter.acquire("conn");
            assertThatThrownBy(() -> limiter.release("stranger")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stranger holds no token");
            assertThatThrownBy(limiter::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("task 'main' holds no token");
            assertThat(limiter.statistics().borrowers()).containsExactly("conn");
            assertThat(limiter.availableTokens()).isEqualTo(1);
        });
    }

    @Test
    void tryAcquireTakesAFreeTokenAndReturnsFalseWhenNoneIsFree() {
        CapacityLimiter limiter = new CapacityLimiter(1);
        Loops.virtual(() -> {
            assertThat(limiter.tryAcquire("a")).isTrue();
            assertThat(limiter.tryAcquire("b")).isFalse();
            assertThat(limiter.statistics().borrowers()).containsExactly("a");
        });
    }

    @Test
    void raisingTheTotalLetsWaitersInAtOnceInArrivalOrder() {
        CapacityLimiter limiter = new CapacityLimiter(1);
        Loops.virtual(() -> {
            limiter.acquire();
            Task<Void> a = borrowAndLog(limiter, "a");
            Task<Void> b = borrowAndLog(limiter, "b");
            Task<Void> c = borrowAndLog(limiter, "c");
            Weft.yield();
            limiter.setTotalTokens(3);
            assertThat(limiter.statistics().borrowers()).containsExactlyInAnyOrder(Weft.currentTask(), a, b);
            assertThat(limiter.statistics().waiting()).isEqualTo(1);
            Weft.yield();
            assertThat(log).containsExactly("a", "b");
            limiter.release(); // lets c in
            Weft.await(c);
        });
        assertThat(log).containsExactly("a", "b", "c");
    }

    @Test
    void loweringTheTotalBelowWhatIsBorrowedLendsNoMoreUntilEnoughReturn() {
        CapacityLimiter limiter = new CapacityLimiter(3);
        Loops.virtual(() -> {
            limiter.acquire("1");
            limiter.acquire("2");
            limiter.acquire("3");
            Task<Void> waiter = borrowAndLog(limiter, "waiter");
            Weft.yield();
            limiter.setTotalTokens(1);
            assertThat(limiter.statistics().borrowedTokens()).isEqualTo(3); // none taken back
            assertThat(limiter.availableTokens()).isZero();
            limiter.release("1");
            limiter.release("2");
            Weft.yield();
            assertThat(log).isEmpty();
            assertThat(limiter.statistics().waiting()).isEqualTo(1);
            limiter.release("3");
            Weft.await(waiter);
        });
        assertThat(log).containsExactly("waiter");
    }

    @Test
    void aTotalBelowOneIsRejected() {
        assertThatThrownBy(() -> new CapacityLimiter(0)).isInstanceOf(IllegalArgumentException.class);
        CapacityLimiter limiter = new CapacityLimiter(2);
        Loops.virtual(() -> {
            assertThatThrownBy(() -> limiter.setTotalTokens(0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(limiter.totalTokens()).isEqualTo(2);
        });
    }

    @Test
    void statisticsShowBorrowedTotalBorrowersAndWaiting() {
        CapacityLimiter limiter = new CapacityLimiter(2);
        Loops.virtual(() -> {
            assertThat(limiter.statistics()).isEqualTo(new CapacityLimiter.Statistics(0, 2, Set.of(), 0));
            limiter.acquire("x");
            limiter.acquire("y");
            borrowAndLog(limiter, "a");
            borrowAndLog(limiter, "b");
            Weft.yield();
            assertThat(limiter.statistics()).isEqualTo(new CapacityLimiter.Statistics(2, 2, Set.of("x", "y"), 2));
            assertThat(limiter.totalTokens()).isEqualTo(2);
            limiter.setTotalTokens(4);
            Weft.yield();
        });
        assertThat(log).containsExactly("a", "b");
    }

    @Test
    void holdReturnsTheTokenOnCloseAndClosingTwiceReturnsItOnce() {
        CapacityLimiter limiter = new CapacityLimiter(1);
        Loops.virtual(() -> {
            Permit p = limiter.hold();
            assertThat(limiter.statistics().borrowers()).containsExactly(Weft.currentTask());
            p.close();
            p.close(); // a second release would fail: main no longer holds a token
            assertThat(limiter.availableTokens()).isEqualTo(1);
        });
    }

    @Test
    void aBorrowerCancelledWhileWaitingLosesNoTokenAndMayAskAgain() {
        CapacityLimiter limiter = new CapacityLimiter(1);
        Loops.virtual(() -> {
            limiter.acquire("held");
            Task<Void> waiter = Weft.spawn(() -> limiter.acquire("job"));
            Weft.yield();
            waiter.cancel();
            assertThatThrownBy(() -> Weft.await(waiter)).isInstanceOf(TaskCancelledException.class);
            limiter.release("held");
            assertThat(limiter.statistics()).isEqualTo(new CapacityLimiter.Statistics(0, 1, Set.of(), 0));
            assertThat(limiter.tryAcquire("job")).isTrue();
        });
    }

    @Test
    void aBorrowerThatTimesOutWhileWaitingLosesNoToken() {
        CapacityLimiter limiter = new CapacityLimiter(1);
        Loops.virtual(() -> {
            limiter.acquire("held");
            Task<Void> waiter = Weft.spawn(() -> Weft.withTimeout(Duration.ofSeconds(1), () -> limiter.acquire("job")));
            Weft.sleep(Duration.ofSeconds(2));
            assertThatThrownBy(() -> Weft.await(waiter)).hasCauseInstanceOf(DeadlineExceededException.class);
            limiter.release("held");
            assertThat(limiter.availableTokens()).isEqualTo(1);
        });
    }

    @Test
    void aBorrowerCancelledAfterATokenWasLentToItHandsItOn() {
        CapacityLimiter limiter = new CapacityLimiter(1);
        Loops.virtual(() -> {
            limiter.acquire("held");
            Task<Void> first = Weft.spawn(() -> limiter.acquire("first"));
            Task<Void> second = Weft.spawn(() -> {
                limiter.acquire("second");
                log.add("second acquired");
                limiter.release("second");
            });
            Weft.yield();
            limiter.release("held"); // lent to first, which has not run yet
            first.cancel();
            assertThatThrownBy(() -> Weft.await(first)).isInstanceOf(TaskCancelledException.class);
            Weft.await(second);
            assertThat(limiter.availableTokens()).isEqualTo(1);
            assertThat(limiter.statistics().borrowers()).isEmpty();
        });
        assertThat(log).containsExactly("second acquired");
    }

}
