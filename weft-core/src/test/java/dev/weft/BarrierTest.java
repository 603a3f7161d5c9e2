package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BarrierTest {
    private final List<String> log = new ArrayList<>();

    private static Task<Integer> arrive(Barrier barrier, String name) {
        return Weft.spawn(name, barrier::await);
    }

    @Test
    void noTaskPassesUntilAllPartiesHaveArrived() {
        Barrier barrier = new Barrier(3);
        Loops.virtual(() -> {
            Task<Integer> a = arrive(barrier, "a");
            Task<Integer> b = arrive(barrier, "b");
            Weft.yield();
            assertThat(a.isDone()).isFalse();
            assertThat(b.isDone()).isFalse();
            assertThat(barrier.statistics().waiting()).isEqualTo(2);
            barrier.await();
            Weft.await(a);
            Weft.await(b);
        });
    }

    @Test
    void eachTaskGetsItsArrivalIndexAndTheLastGetsPartiesMinusOne() {
        Barrier barrier = new Barrier(3);
        Loops.virtual(() -> {
            Task<Integer> a = arrive(barrier, "a");
            Task<Integer> b = arrive(barrier, "b");
            Weft.yield();
            assertThat(barrier.await()).isEqualTo(2);
            assertThat(Weft.await(a)).isZero();
            assertThat(Weft.await(b)).isEqualTo(1);
        });
    }

    @Test
    void aBarrierOfOnePartyPassesAtOnce() {
        Barrier barrier = new Barrier(1);
        Loops.virtual(() -> {
            assertThat(barrier.await()).isZero();
            assertThat(barrier.await()).isZero();
        });
    }

    @Test
    void theBarrierIsReusableRoundAfterRound() {
        Barrier barrier = new Barrier(2);
        int[][] indices = new int[3][2]; // per round: main's, other's
        Loops.virtual(() -> {
            Task<Void> other = Weft.spawn(() -> {
                for (int round = 0; round < 3; round++) {
                    indices[round][1] = barrier.await();
                }
            });
            for (int round = 0; round < 3; round++) {
                indices[round][0] = barrier.await();
            }
            Weft.await(other);
        });
        for (int[] round : indices) {
            assertThat(round).containsExactlyInAnyOrder(0, 1);
        }
    }

    @Test
    void theActionRunsOncePerRoundInTheLastTaskBeforeTheOthersAreReleased() {
        Barrier barrier = new Barrier(2, () -> {
            log.add("action in " + Weft.currentTask().name());
            Weft.sleep(Duration.ofMillis(1)); // every other task gets to run: the waiter must not be released
            log.add("action done");
        });
        Loops.virtual(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("first", "second")) {
                tasks.add(Weft.spawn(name, () -> {
                    for (int round = 0; round < 2; round++) {
                        barrier.await();
                        log.add(name + " released");
                    }
                }));
            }
            tasks.forEach(Weft::await);
        });
        // the second round: "second" comes back first, but waits while the first round drains ("first" has
        // not left it yet), so "first" arrives first and "second" completes the round again
        assertThat(log).containsExactly(
                "action in second", "action done", "second released", "first released",
                "action in second", "action done", "second released", "first released");
    }

    @Test
    void anActionThatThrowsBreaksTheBarrier() {
        IllegalStateException boom = new IllegalStateException("boom");
        Barrier barrier = new Barrier(3, () -> {
            throw boom;
        });
        Loops.virtual(() -> {
            Task<Integer> a = arrive(barrier, "a");
            Task<Integer> b = arrive(barrier, "b");
            Weft.yield();
            assertThatThrownBy(barrier::await).isSameAs(boom);
            assertThatThrownBy(() -> Weft.await(a)).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(BrokenBarrierException.class);
            assertThatThrownBy(() -> Weft.await(b)).hasCauseInstanceOf(BrokenBarrierException.class);
            assertThat(barrier.isBroken()).isTrue();
            assertThatThrownBy(barrier::await).isInstanceOf(BrokenBarrierException.class)
                    .hasMessageContaining("is broken");
        });
    }

    @Test
    void aBrokenBarrierThrowsUntilResetAndThenWorksAgain() {
        Barrier barrier = new Barrier(2);
        Loops.virtual(() -> {
            barrier.abort();
            assertThatThrownBy(barrier::await).isInstanceOf(BrokenBarrierException.class);
            assertThatThrownBy(barrier::await).isInstanceOf(BrokenBarrierException.class);
            barrier.reset();
            assertThat(barrier.isBroken()).isFalse();
            Task<Integer> other = arrive(barrier, "other");
            Weft.yield();
            assertThat(barrier.await()).isEqualTo(1);
            assertThat(Weft.await(other)).isZero();
        });
    }

    @Test
    void abortWakesTheWaitersWithBrokenBarrier() {
        Barrier barrier = new Barrier(3);
        Loops.virtual(() -> {
            Task<Integer> a = arrive(barrier, "a");
            Task<Integer> b = arrive(barrier, "b");
            Weft.yield();
            barrier.abort();
            assertThat(barrier.isBroken()).isTrue();
            assertThatThrownBy(() -> Weft.await(a)).hasCauseInstanceOf(BrokenBarrierException.class);
            assertThatThrownBy(() -> Weft.await(b)).hasCauseInstanceOf(BrokenBarrierException.class);
            assertThat(barrier.statistics().waiting()).isZero();
        });
    }

    @Test
    void resetWakesTheWaitersWithBrokenBarrierAndLeavesTheBarrierUsable() {
        Barrier barrier = new Barrier(2);
        Loops.virtual(() -> {
            Task<Integer> early = arrive(barrier, "early");
            Weft.yield();
            barrier.reset();
            assertThatThrownBy(() -> Weft.await(early)).hasCauseInstanceOf(BrokenBarrierException.class)
                    .cause().hasMessageContaining("reset or aborted");
            assertThat(barrier.isBroken()).isFalse();
            Task<Integer> next = arrive(barrier, "next");
            Weft.yield();
            assertThat(barrier.await()).isEqualTo(1); // the reset arrival does not count
            assertThat(Weft.await(next)).isZero();
        });
    }

    @Test
    void aCancelledWaiterWithdrawsItsArrival() {
        Barrier barrier = new Barrier(2);
        Loops.virtual(() -> {
            Task<Integer> quitter = arrive(barrier, "quitter");
            Weft.yield();
            quitter.cancel();
            assertThatThrownBy(() -> Weft.await(quitter)).isInstanceOf(TaskCancelledException.class);
            assertThat(barrier.statistics().waiting()).isZero();
            Task<Integer> stayer = arrive(barrier, "stayer");
            Weft.yield();
            assertThat(stayer.isDone()).isFalse(); // the round needs another task
            assertThat(barrier.await()).isEqualTo(1);
            assertThat(Weft.await(stayer)).isZero();
        });
    }

    @Test
    void aWaiterCancelledButNotYetRunDoesNotCompleteTheRound() {
        Barrier barrier = new Barrier(2);
        Loops.virtual(() -> {
            Task<Integer> quitter = arrive(barrier, "quitter");
            Weft.yield();
            quitter.cancel(); // woken, still counted until it runs
            Task<Integer> late = arrive(barrier, "late");
            assertThat(barrier.await()).isZero(); // main waits: the quitter does not count
            assertThat(Weft.await(late)).isEqualTo(1);
            assertThatThrownBy(() -> Weft.await(quitter)).isInstanceOf(TaskCancelledException.class);
        });
    }

    @Test
    void aWaiterCancelledAfterItsRoundCompletedThrowsAndTheRoundStillCompletes() {
        Barrier barrier = new Barrier(2);
        Loops.virtual(() -> {
            Task<Integer> waiter = Weft.spawn(barrier::await);
            Weft.yield();
            assertThat(barrier.await()).isEqualTo(1); // completes the round
            waiter.cancel(); // before the waiter ran again
            assertThatThrownBy(() -> Weft.await(waiter)).isInstanceOf(TaskCancelledException.class);
            assertThat(barrier.statistics()).isEqualTo(new Barrier.Statistics(2, 0, Barrier.State.FILLING));
        });
    }

    @Test
    void aWaiterCancelledWhileAWaitingActionRunsGetsItsCancellationAndTheRoundCompletes() {
        Barrier barrier = new Barrier(2, () -> Weft.sleep(Duration.ofSeconds(1))); // an action that waits
        Loops.virtual(() -> {
            Task<Void> first = Weft.spawn(() -> {
                log.add("first got " + barrier.await());
            });
            Weft.yield();
            Task<Integer> last = arrive(barrier, "last");
            Weft.sleep(Duration.ofMillis(1)); // last runs the action: every party has arrived
            first.cancel();
            assertThat(Weft.await(last)).isEqualTo(1);
            assertThatThrownBy(() -> Weft.await(first)).isInstanceOf(TaskCancelledException.class);
            assertThat(barrier.statistics()).isEqualTo(new Barrier.Statistics(2, 0, Barrier.State.FILLING));
        });
        assertThat(log).isEmpty();
    }

    @Test
    void statisticsShowPartiesArrivalsAndBrokenness() {
        Barrier barrier = new Barrier(3);
        Loops.virtual(() -> {
            assertThat(barrier.statistics()).isEqualTo(new Barrier.Statistics(3, 0, Barrier.State.FILLING));
            Task<Integer> a = arrive(barrier, "a");
            Weft.yield();
            assertThat(barrier.statistics()).isEqualTo(new Barrier.Statistics(3, 1, Barrier.State.FILLING));
            barrier.abort();
            assertThat(barrier.statistics()).isEqualTo(new Barrier.Statistics(3, 0, Barrier.State.BROKEN));
            assertThatThrownBy(() -> Weft.await(a)).hasCauseInstanceOf(BrokenBarrierException.class);
        });
        assertThat(barrier.parties()).isEqualTo(3);
    }

    @Test
    void fewerThanOnePartyIsRejected() {
        assertThatThrownBy(() -> new Barrier(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Barrier(-1, () -> {})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWaiterCancelledButNotYetRunIsNotCountedAsWaiting() {
        Barrier barrier = new Barrier(3);
        Loops.virtual(() -> {
            Task<Integer> quitter = arrive(barrier, "quitter");
            Weft.yield();
            assertThat(barrier.statistics().waiting()).isEqualTo(1);
            quitter.cancel();
            assertThat(barrier.statistics().waiting()).isZero();
            Weft.yield();
            assertThat(quitter.isCancelled()).isTrue();
        });
    }

    @Test
    void arrivalsForTheNextRoundWaitWhileAnActionThatWaitsRuns() {
        Barrier barrier = new Barrier(2, () -> {
            log.add("action starts");
            Weft.sleep(Duration.ofSeconds(1));
            log.add("action ends");
        });
        Loops.virtual(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d")) {
                tasks.add(Weft.spawn(name, () -> {
                    barrier.await();
                    log.add(name + " passes");
                }));
                Weft.sleep(Duration.ofMillis(10)); // a and b arrive, then c and d while b's action runs
            }
            for (Task<Void> t : tasks) {
                Weft.await(t);
            }
        });
        assertThat(log).containsExactly("action starts", "action ends", "b passes", "a passes",
                "action starts", "action ends", "d passes", "c passes");
    }

    @Test
    void anActionThrowingACheckedExceptionSneakilyBreaksTheBarrierAndStrandsNobody() {
        Barrier barrier = new Barrier(2, BarrierTest::throwSneakily);
        Loops.virtual(() -> {
            Task<Integer> waiter = Weft.spawn(barrier::await);
            Weft.yield();
            assertThatThrownBy(barrier::await).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> Weft.await(waiter)).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(BrokenBarrierException.class);
            assertThat(barrier.isBroken()).isTrue();
        });
    }

    private static void throwSneakily() {
        BarrierTest.<RuntimeException>sneaky(new IOException("checked"));
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> void sneaky(Throwable t) throws X {
        throw (X) t;
    }
}
