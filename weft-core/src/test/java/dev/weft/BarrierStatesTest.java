package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Barrier}'s states — filling, draining, resetting, broken — by the cases of CPython's
 * {@code test_asyncio/test_locks.py} {@code BarrierTests}, with its N of 5.
 */
class BarrierStatesTest {
    private static final int N = 5;
    private final Barrier barrier = new Barrier(N);
    private final List<Object> results1 = new ArrayList<>();
    private final List<Object> results2 = new ArrayList<>();
    private final List<Object> results3 = new ArrayList<>();
    private int count;

    /** asyncio's gather_tasks: runs {@code n} tasks of {@code body} at once and waits for them all. */
    private static void gather(int n, Action<RuntimeException> body) {
        Tasks.gather(Collections.nCopies(n, body.asBody()));
    }

    private Barrier.State state() {
        return barrier.statistics().state();
    }

    @Test
    void theStatesGoFillingDrainingResettingBroken() { // test_repr
        Loops.virtual(() -> {
            assertThat(state()).isEqualTo(Barrier.State.FILLING);
            List<Task<Integer>> waiters = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                waiters.add(Weft.spawn(barrier::await));
            }
            Weft.yield();
            assertThat(barrier.statistics().waiting()).isEqualTo(2);
            assertThat(state()).isEqualTo(Barrier.State.FILLING);
            for (int i = 0; i < N - 2; i++) {
                waiters.add(Weft.spawn(barrier::await));
            }
            Weft.yield(); // the round completes; the released tasks have not run yet
            assertThat(state()).isEqualTo(Barrier.State.DRAINING);
            for (int i = 0; i < 2; i++) {
                waiters.add(Weft.spawn(barrier::await)); // they wait while it drains
            }
            Weft.yield();
            barrier.reset();
            assertThat(state()).isEqualTo(Barrier.State.RESETTING);
            for (int i = 0; i < 2; i++) {
                waiters.add(Weft.spawn(barrier::await));
            }
            Weft.yield();
            barrier.abort();
            assertThat(state()).isEqualTo(Barrier.State.BROKEN);
            assertThat(barrier.isBroken()).isTrue();
            assertThat(barrier.toString()).contains("broken");
            Tasks.gatherOutcomes(waiters.stream().map(t -> (dev.weft.Body<Integer, RuntimeException>) () -> {
                try {
                    return Weft.await(t);
                } catch (dev.weft.TaskFailedException e) {
                    return -1;
                }
            }).toList());
        });
    }

    @Test
    void eachTaskSeesTheBarrierDrainingUntilTheLastOneLeaves() { // test_draining_state
        Loops.virtual(() -> {
            gather(N, () -> {
                barrier.await();
                results1.add(state());
            });
            assertThat(results1).hasSize(N);
            assertThat(results1.subList(0, N - 1)).containsOnly(Barrier.State.DRAINING);
            assertThat(results1.get(N - 1)).isEqualTo(Barrier.State.FILLING);
            assertThat(barrier.statistics()).isEqualTo(new Barrier.Statistics(N, 0, Barrier.State.FILLING));
        });
    }

    @Test
    void tasksArrivingWhileTheBarrierDrainsWaitForTheNextRound() { // test_blocking_tasks_while_draining
        Barrier nowaiting = new Barrier(N - 2);
        int[] rewait = {2};
        Loops.virtual(() -> {
            gather(N, () -> {
                barrier.await();
                if (rewait[0] > 0) {
                    rewait[0]--;
                    barrier.await(); // again, while the first round drains
                } else {
                    nowaiting.await(); // exactly N - 2 tasks come here
                    barrier.await();
                }
            });
            assertThat(barrier.isBroken()).isFalse();
        });
    }

    @Test
    void aTaskCancelledWhileFillingLeavesAndTheRoundNeedsAnother() { // test_filling_tasks_cancel_one
        Barrier three = new Barrier(3);
        Loops.virtual(() -> {
            Task<Integer> t1 = Weft.spawn(three::await);
            Weft.yield();
            Task<Integer> t2 = Weft.spawn(three::await);
            Weft.yield();
            assertThat(three.statistics().waiting()).isEqualTo(2);
            t1.cancel();
            Weft.yield();
            assertThat(three.statistics().waiting()).isEqualTo(1);
            assertThat(t1.isCancelled()).isTrue();
            Task<Integer> t3 = Weft.spawn(three::await);
            Weft.yield();
            assertThat(three.statistics().waiting()).isEqualTo(2);
            Task<Integer> t4 = Weft.spawn(three::await);
            assertThat(Tasks.awaitAll(List.of(t2, t3, t4))).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(three.statistics().waiting()).isZero();
        });
    }

    /** N - 1 tasks that each await the barrier, note a break in results1, then do {@code then}. */
    private List<Task<Void>> waitersThatNoteABreak(Action<RuntimeException> then) {
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < N - 1; i++) {
            tasks.add(Weft.spawn(() -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierException e) {
                    results1.add(true);
                }
                then.run();
            }));
        }
        return tasks;
    }

    @Test
    void resetWhileTasksWaitBreaksThemAndLeavesTheBarrierFilling() { // test_reset_barrier_while_tasks_waiting
        Loops.virtual(() -> {
            List<Task<Void>> tasks = waitersThatNoteABreak(() -> {});
            Weft.yield();
            Weft.spawn(barrier::reset);
            Tasks.awaitAll(tasks);
            assertThat(results1).hasSize(N - 1);
            assertThat(barrier.statistics()).isEqualTo(new Barrier.Statistics(N, 0, Barrier.State.FILLING));
        });
    }

    @Test
    void resetWhenHalfTheTasksHaveDrainedBreaksTheOthers() { // test_reset_barrier_when_tasks_half_draining
        int restOfTasks = N / 2;
        Loops.virtual(() -> {
            gather(N, () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierException e) {
                    results1.add(true); // tasks still draining when the barrier was reset
                    return;
                }
                count++; // tasks out of the barrier
                if (N - count == restOfTasks) {
                    barrier.reset();
                }
            });
            assertThat(results1).hasSize(restOfTasks);
            assertThat(barrier.statistics()).isEqualTo(new Barrier.Statistics(N, 0, Barrier.State.FILLING));
        });
    }

    @Test
    void resetWhenHalfTheTasksDrainAndHalfWaitToEnterBreaksOnlyTheDraining() {
        // test_reset_barrier_when_tasks_half_draining_half_blocking
        int blockingTasks = N / 2;
        Loops.virtual(() -> {
            gather(N, () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierException e) {
                    results1.add(true); // still inside: broken
                    barrier.await(); // and waits again, to reach the parties
                    return;
                }
                count++;
                if (count > blockingTasks) {
                    barrier.reset();
                    barrier.await();
                } else {
                    try {
                        barrier.await(); // waits to enter while the barrier drains, then resets
                    } catch (BrokenBarrierException e) {
                        results2.add(true); // never: tasks waiting to enter go on into the new round
                    }
                }
            });
            assertThat(results1).hasSize(blockingTasks);
            assertThat(results2).isEmpty();
            assertThat(barrier.statistics()).isEqualTo(new Barrier.Statistics(N, 0, Barrier.State.FILLING));
        });
    }

    @Test
    void tasksBrokenByAResetCanWaitAgainInTheNewRound() { // test_reset_barrier_while_tasks_waiting_and_waiting_again
        Loops.virtual(() -> {
            List<Task<Void>> tasks = waitersThatNoteABreak(() -> {
                barrier.await();
                results2.add(true);
            });
            Weft.yield();
            Weft.spawn(barrier::reset);
            Weft.yield();
            Weft.spawn(() -> {
                barrier.await();
                results2.add(true);
            });
            Tasks.awaitAll(tasks);
            assertThat(barrier.isBroken()).isFalse();
        });
        assertThat(results1).hasSize(N - 1);
        assertThat(results2).hasSize(N);
    }

    @Test
    void resetByTheLastTaskToLeaveDoesNotBreakTheTasksAlreadyWaitingAgain() { // test_reset_barrier_while_tasks_draining
        Loops.virtual(() -> {
            gather(N, () -> {
                barrier.await();
                count++;
                if (count == N) {
                    barrier.reset(); // the last to leave: nobody is inside, so the barrier just fills again
                    barrier.await();
                } else {
                    try {
                        barrier.await(); // waits to enter while the barrier drains
                        results1.add(true);
                    } catch (RuntimeException e) {
                        results2.add(e);
                    }
                }
                barrier.await();
                results3.add(true);
            });
            assertThat(barrier.isBroken()).isFalse();
            assertThat(results1).hasSize(N - 1);
            assertThat(results2).isEmpty();
            assertThat(results3).hasSize(N);
            assertThat(barrier.statistics().waiting()).isZero();
        });
    }

    @Test
    void abortWhenHalfTheTasksDrainAndHalfWaitToEnterBreaksThemAll() {
        // test_abort_barrier_when_tasks_half_draining_half_blocking
        int blockingTasks = N / 2;
        Loops.virtual(() -> {
            gather(N, () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierException e) {
                    results1.add(true); // still draining when aborted
                    return;
                }
                count++;
                if (count > blockingTasks) {
                    barrier.abort();
                } else {
                    try {
                        barrier.await(); // waits to enter while the barrier drains
                    } catch (BrokenBarrierException e) {
                        results2.add(true); // aborted while waiting to enter
                    }
                }
            });
            assertThat(barrier.isBroken()).isTrue();
            assertThat(results1).hasSize(blockingTasks);
            assertThat(results2).hasSize(N - blockingTasks - 1);
            assertThat(barrier.statistics()).isEqualTo(new Barrier.Statistics(N, 0, Barrier.State.BROKEN));
        });
    }

    /** asyncio's test from threading.Barrier: the task with the middle index fails and aborts. */
    private void oneFailsBetweenRoundsAndAborts() {
        try {
            if (barrier.await() == N / 2) {
                throw new IllegalStateException("boom");
            }
            barrier.await();
            results1.add(true);
        } catch (BrokenBarrierException e) {
            results2.add(true);
        } catch (IllegalStateException e) {
            barrier.abort();
        }
    }

    @Test
    void aTaskThatFailsBetweenRoundsAndAbortsBreaksEveryOther() { // test_abort_barrier_when_exception
        Loops.virtual(() -> {
            gather(N, this::oneFailsBetweenRoundsAndAborts);
            assertThat(barrier.isBroken()).isTrue();
            assertThat(results1).isEmpty();
            assertThat(results2).hasSize(N - 1);
            assertThat(barrier.statistics().waiting()).isZero();
        });
    }

    @Test
    void anAbortedBarrierCanBeResetOnceEveryTaskHasLeftIt() { // test_abort_barrier_when_exception_then_resetting
        Barrier barrier2 = new Barrier(N);
        Loops.virtual(() -> {
            gather(N, () -> {
                oneFailsBetweenRoundsAndAborts();
                // synchronize first so that everyone has left it, and after so that no one enters it before the reset
                if (barrier2.await() == N / 2) {
                    barrier.reset();
                }
                barrier2.await();
                barrier.await();
                results3.add(true);
            });
            assertThat(barrier.isBroken()).isFalse();
            assertThat(results1).isEmpty();
            assertThat(results2).hasSize(N - 1);
            assertThat(results3).hasSize(N);
            assertThat(barrier.statistics().waiting()).isZero();
        });
    }

    @Test
    void anAwaitOnABrokenBarrierThrowsAtOnce() {
        Loops.virtual(() -> {
            barrier.abort();
            assertThatThrownBy(barrier::await).isInstanceOf(BrokenBarrierException.class)
                    .hasMessageContaining("broken");
            barrier.reset();
            assertThat(state()).isEqualTo(Barrier.State.FILLING);
        });
    }
}
