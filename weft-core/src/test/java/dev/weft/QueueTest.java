package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class QueueTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    // ---------------------------------------------------------------- order

    @Test
    void aFifoQueueGivesItemsInTheOrderTheyWerePut() {
        Loops.virtual(() -> {
            Queue<Integer> q = Queue.fifo();
            q.put(1);
            q.put(2);
            q.put(3);
            assertThat(List.of(q.get(), q.get(), q.get())).containsExactly(1, 2, 3);
        });
    }

    @Test
    void aLifoQueueGivesTheLastItemPutFirst() {
        Loops.virtual(() -> {
            Queue<Integer> q = Queue.lifo();
            q.put(1);
            q.put(2);
            q.put(3);
            assertThat(List.of(q.get(), q.get(), q.get())).containsExactly(3, 2, 1);
        });
    }

    @Test
    void aPriorityQueueGivesTheLeastItemFirstByItsComparator() {
        Loops.virtual(() -> {
            Queue<Integer> q = Queue.priority(Comparator.reverseOrder());
            q.put(2);
            q.put(3);
            q.put(1);
            assertThat(List.of(q.get(), q.get(), q.get())).containsExactly(3, 2, 1);
        });
    }

    @Test
    void aBoundedLifoQueueMovesTheWaitingPuttersItemOnTop() {
        Loops.virtual(() -> {
            Queue<Integer> q = Queue.lifo(2);
            q.put(1);
            q.put(2);
            Weft.spawn(() -> q.put(3));
            Weft.yield();
            assertThat(List.of(q.get(), q.get(), q.get())).containsExactly(2, 3, 1);
        });
    }

    // ---------------------------------------------------------------- bounded put

    @Test
    void aBoundedPutWaitsWhileTheQueueIsFullAndResumesWhenASlotFrees() {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo(1);
            q.put("a");
            Task<Void> putter = Weft.spawn(() -> {
                q.put("b");
                log.add("put b");
            });
            Weft.yield();
            assertThat(log).isEmpty();
            assertThat(putter.state()).isEqualTo(Task.State.SUSPENDED);
            assertThat(q.get()).isEqualTo("a");
            Weft.await(putter);
            assertThat(log).containsExactly("put b");
            assertThat(q.get()).isEqualTo("b");
        });
    }

    @Test
    void waitingPuttersResumeInTheOrderTheyCame() {
        Loops.virtual(() -> {
            Queue<Integer> q = Queue.fifo(1);
            q.put(0);
            for (int i = 1; i <= 3; i++) {
                int item = i;
                Weft.spawn(() -> q.put(item));
            }
            Weft.yield();
            assertThat(q.statistics().puttersWaiting()).isEqualTo(3);
            assertThat(List.of(q.get(), q.get(), q.get(), q.get())).containsExactly(0, 1, 2, 3);
        });
    }

    @Test
    void aSlotFreedInAFullQueueGoesToTheWaitingPutterNotToALaterTryPut() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo(1);
            q.put("a");
            Weft.spawn(() -> q.put("b"));
            Weft.yield();
            assertThat(q.get()).isEqualTo("a");
            assertThat(q.tryPut("c")).isFalse();
            assertThat(q.get()).isEqualTo("b");
        });
    }

    // ---------------------------------------------------------------- tryPut / tryGet

    @Test
    void tryPutAddsWhileThereIsRoomAndReturnsFalseWhenFull() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo(2);
            assertThat(q.tryPut("a")).isTrue();
            assertThat(q.tryPut("b")).isTrue();
            assertThat(q.tryPut("c")).isFalse();
            assertThat(q.size()).isEqualTo(2);
        });
    }

    @Test
    void tryGetReturnsTheNextItemOrEmptyWithoutWaiting() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            assertThat(q.tryGet()).isEmpty();
            q.put("a");
            assertThat(q.tryGet()).contains("a");
            assertThat(q.tryGet()).isEmpty();
        });
    }

    @Test
    void tryGetFromAFullQueueMovesTheWaitingPuttersItemIn() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo(1);
            q.put("a");
            Task<Void> putter = Weft.spawn(() -> q.put("b"));
            Weft.yield();
            assertThat(q.tryGet()).contains("a");
            Weft.await(putter);
            assertThat(q.tryGet()).contains("b");
        });
    }

    // ---------------------------------------------------------------- get

    @Test
    void getWaitsUntilAnItemIsPut() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<String> getter = Weft.spawn(q::get);
            Weft.yield();
            assertThat(getter.state()).isEqualTo(Task.State.SUSPENDED);
            q.put("x");
            assertThat(Weft.await(getter)).isEqualTo("x");
        });
    }

    @Test
    void aPutHandsTheItemStraightToTheLongestWaitingGetter() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<String> first = Weft.spawn(q::get);
            Task<String> second = Weft.spawn(q::get);
            Weft.yield();
            q.put("a");
            assertThat(q.statistics().gettersWaiting()).isEqualTo(1); // "a" is reserved for the first getter
            q.put("b");
            assertThat(Weft.await(first)).isEqualTo("a");
            assertThat(Weft.await(second)).isEqualTo("b");
        });
    }

    @Test
    void anItemHandedToAGetterCannotBeTakenByTryGet() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<String> getter = Weft.spawn(q::get);
            Weft.yield();
            q.put("a");
            assertThat(q.tryGet()).isEmpty();
            assertThat(Weft.await(getter)).isEqualTo("a");
        });
    }

    // ---------------------------------------------------------------- join / taskDone

    @Test
    void joinReturnsAtOnceWhenNoItemIsUnfinished() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            q.put("a");
            q.get();
            q.taskDone();
            q.join();
            assertThat(q.statistics().unfinished()).isZero();
        });
    }

    @Test
    void joinWaitsUntilEveryItemPutIsMarkedDone() {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            q.put("a");
            q.put("b");
            Task<Void> joiner = Weft.spawn(() -> {
                q.join();
                log.add("joined");
            });
            q.get();
            q.get();
            q.taskDone();
            Weft.yield();
            assertThat(log).isEmpty();
            assertThat(q.statistics().unfinished()).isEqualTo(1);
            q.taskDone();
            Weft.await(joiner);
            assertThat(log).containsExactly("joined");
        });
    }

    @Test
    void anItemHandedStraightToAGetterCountsAsUnfinished() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<String> getter = Weft.spawn(q::get);
            Weft.yield();
            q.put("a");
            Weft.await(getter);
            assertThat(q.statistics().unfinished()).isEqualTo(1);
        });
    }

    @Test
    void taskDoneCalledMoreTimesThanItemsWerePutFailsWithAClearMessage() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            q.put("a");
            q.get();
            q.taskDone();
            assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("taskDone").hasMessageContaining("more times than items were put");
            assertThat(q.statistics().unfinished()).isZero();
        });
    }

    // ---------------------------------------------------------------- shutdown(false)

    @Test
    void putAndTryPutThrowAfterShutdown() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            q.shutdown();
            assertThatThrownBy(() -> q.put("a")).isInstanceOf(QueueShutDownException.class)
                    .hasMessageContaining("Queue.put");
            assertThatThrownBy(() -> q.tryPut("a")).isInstanceOf(QueueShutDownException.class)
                    .hasMessageContaining("Queue.tryPut");
            assertThat(q.size()).isZero();
        });
    }

    @Test
    void waitingPuttersWakeWithShutDownAndTheirItemsAreNotInTheQueue() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo(1);
            q.put("a");
            Task<Void> putter = Weft.spawn(() -> q.put("b"));
            Weft.yield();
            q.shutdown();
            assertThatThrownBy(() -> Weft.await(putter)).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(QueueShutDownException.class);
            assertThat(q.get()).isEqualTo("a");
            assertThatThrownBy(q::get).isInstanceOf(QueueShutDownException.class);
            assertThat(q.statistics().unfinished()).isEqualTo(1);
        });
    }

    @Test
    void getsDrainTheItemsLeftAfterShutdownThenThrow() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            q.put("a");
            q.put("b");
            q.shutdown();
            assertThat(q.get()).isEqualTo("a");
            assertThat(q.tryGet()).contains("b");
            assertThatThrownBy(q::get).isInstanceOf(QueueShutDownException.class).hasMessageContaining("Queue.get");
            assertThatThrownBy(q::tryGet).isInstanceOf(QueueShutDownException.class)
                    .hasMessageContaining("Queue.tryGet");
        });
    }

    @Test
    void waitingGettersWakeWithShutDown() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<String> first = Weft.spawn(q::get);
            Task<String> second = Weft.spawn(q::get);
            Weft.yield();
            q.shutdown();
            assertThatThrownBy(() -> Weft.await(first)).hasCauseInstanceOf(QueueShutDownException.class);
            assertThatThrownBy(() -> Weft.await(second)).hasCauseInstanceOf(QueueShutDownException.class);
        });
    }

    @Test
    void joinStillWaitsForUnfinishedItemsAfterShutdown() {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            q.put("a");
            q.shutdown();
            Task<Void> joiner = Weft.spawn(() -> {
                q.join();
                log.add("joined");
            });
            Weft.yield();
            assertThat(log).isEmpty();
            q.get();
            q.taskDone();
            Weft.await(joiner);
            assertThat(log).containsExactly("joined");
        });
    }

    @Test
    void shutdownIsIdempotent() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            q.put("a");
            q.shutdown();
            q.shutdown();
            assertThat(q.get()).isEqualTo("a");
            assertThat(q.statistics().shutDown()).isTrue();
        });
    }

    // ---------------------------------------------------------------- shutdown(true)

    @Test
    void anImmediateShutdownDropsTheItemsLeftAndCountsThemDone() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            q.put("a");
            q.put("b");
            Task<Void> joiner = Weft.spawn(q::join);
            Weft.yield();
            q.shutdown(true);
            Weft.await(joiner);
            assertThat(q.statistics()).isEqualTo(new Queue.Statistics(0, Queue.UNBOUNDED, 0, 0, 0, true));
            assertThatThrownBy(q::get).isInstanceOf(QueueShutDownException.class);
        });
    }

    @Test
    void anImmediateShutdownStillCountsItemsGotButNotDone() {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            q.put("a");
            q.put("b");
            q.get();
            q.shutdown(true);
            assertThat(q.statistics().unfinished()).isEqualTo(1);
            Task<Void> joiner = Weft.spawn(() -> {
                q.join();
                log.add("joined");
            });
            Weft.yield();
            assertThat(log).isEmpty();
            q.taskDone();
            Weft.await(joiner);
            assertThat(log).containsExactly("joined");
        });
    }

    @Test
    void waitingGettersThrowOnAnImmediateShutdown() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<String> getter = Weft.spawn(q::get);
            Weft.yield();
            q.shutdown(true);
            assertThatThrownBy(() -> Weft.await(getter)).hasCauseInstanceOf(QueueShutDownException.class);
        });
    }

    @Test
    void waitingPuttersThrowOnAnImmediateShutdownAndNothingIsLeft() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo(1);
            q.put("a");
            Task<Void> putter = Weft.spawn(() -> q.put("b"));
            Weft.yield();
            q.shutdown(true);
            assertThatThrownBy(() -> Weft.await(putter)).hasCauseInstanceOf(QueueShutDownException.class);
            assertThat(q.statistics()).isEqualTo(new Queue.Statistics(0, 1, 0, 0, 0, true));
        });
    }

    // ---------------------------------------------------------------- iteration

    @Test
    void forEachGetsEveryItemAndEndsAtShutdownWhenEmpty() {
        Loops.virtual(() -> {
            Queue<Integer> q = Queue.fifo();
            q.put(1);
            Task<List<Integer>> consumer = Weft.spawn(() -> {
                List<Integer> got = new ArrayList<>();
                for (int i : q) {
                    got.add(i);
                }
                return got;
            });
            Weft.yield();
            q.put(2);
            q.put(3);
            q.shutdown();
            assertThat(Weft.await(consumer)).containsExactly(1, 2, 3);
        });
    }

    @Test
    void theIteratorsNextThrowsNoSuchElementAtTheEnd() {
        Loops.virtual(() -> {
            Queue<Integer> q = Queue.fifo();
            q.put(1);
            q.shutdown();
            Iterator<Integer> it = q.iterator();
            assertThat(it.next()).isEqualTo(1);
            assertThat(it.hasNext()).isFalse();
            assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        });
    }

    // ---------------------------------------------------------------- statistics and arguments

    @Test
    void statisticsRecordSizeCapacityUnfinishedAndWaitingPutters() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo(2);
            q.put("a");
            q.put("b");
            Weft.spawn(() -> q.put("c"));
            Weft.yield();
            assertThat(q.statistics()).isEqualTo(new Queue.Statistics(2, 2, 2, 0, 1, false));
        });
    }

    @Test
    void statisticsRecordWaitingGettersAndShutdown() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<String> first = Weft.spawn(q::get);
            Task<String> second = Weft.spawn(q::get);
            Weft.yield();
            assertThat(q.statistics()).isEqualTo(new Queue.Statistics(0, Queue.UNBOUNDED, 0, 2, 0, false));
            q.shutdown();
            assertThat(q.statistics()).isEqualTo(new Queue.Statistics(0, Queue.UNBOUNDED, 0, 0, 0, true));
            assertThatThrownBy(() -> Weft.await(first)).hasCauseInstanceOf(QueueShutDownException.class);
            assertThatThrownBy(() -> Weft.await(second)).hasCauseInstanceOf(QueueShutDownException.class);
        });
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose
    void aNullItemIsRejected() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> q.tryPut(null)).isInstanceOf(NullPointerException.class);
            assertThat(q.size()).isZero();
        });
    }

    @Test
    void aCapacityBelowOneIsRejected() {
        assertThatThrownBy(() -> Queue.fifo(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> Queue.lifo(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Queue.priority(0, Comparator.<Integer>naturalOrder()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- cancellation and timeouts: get

    @Test
    void aCancelledGetterTakesNoItemAndTheNextGetterGetsIt() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<String> first = Weft.spawn(q::get);
            Task<String> second = Weft.spawn(q::get);
            Weft.yield();
            first.cancel();
            q.put("x"); // the first getter was woken by its cancellation but has not run yet
            assertThatThrownBy(() -> Weft.await(first)).isInstanceOf(TaskCancelledException.class);
            assertThat(Weft.await(second)).isEqualTo("x");
        });
    }

    @Test
    void aGetterThatTimedOutTakesNoItemAndALaterPutIsQueued() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            assertThatThrownBy(() -> Weft.withTimeout(SECOND, q::get))
                    .isInstanceOf(DeadlineExceededException.class);
            assertThat(Weft.nanoTime()).isEqualTo(SECOND.toNanos());
            q.put("x");
            assertThat(q.statistics().gettersWaiting()).isZero();
            assertThat(q.tryGet()).contains("x");
        });
    }

    @Test
    void aGetterCancelledAfterAnItemWasReservedForItTakesNothingAndTheNextGetterGetsIt() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<String> first = Weft.spawn(q::get);
            Task<String> second = Weft.spawn(q::get);
            Weft.yield();
            q.put("x"); // reserved for first, which has not run yet
            first.cancel();
            assertThatThrownBy(() -> Weft.await(first)).isInstanceOf(TaskCancelledException.class);
            assertThat(Weft.await(second)).isEqualTo("x");
            assertThat(q.statistics().size()).isZero();
        });
    }

    @Test
    void aGetterCancelledAfterAnItemWasReservedForItLeavesTheItemInItsPlace() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<String> getter = Weft.spawn(q::get);
            Weft.yield();
            q.put("first"); // reserved for the getter
            q.put("second");
            getter.cancel();
            assertThatThrownBy(() -> Weft.await(getter)).isInstanceOf(TaskCancelledException.class);
            assertThat(q.tryGet()).contains("first");
            assertThat(q.tryGet()).contains("second");
        });
    }

    @Test
    void aGetterWhoseTimeoutExpiresAfterAnItemWasReservedForItTimesOutAndTheItemStays() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Timeout[] scope = new Timeout[1];
            Task<String> getter = Weft.spawn(() -> {
                try (Timeout t = Weft.timeout(Duration.ofHours(1))) {
                    scope[0] = t;
                    return q.get();
                }
            });
            Weft.yield();
            q.put("x");
            scope[0].rescheduleAt(Deadline.after(Duration.ZERO)); // expires now, after the reservation
            assertThatThrownBy(() -> Weft.await(getter)).hasCauseInstanceOf(DeadlineExceededException.class);
            assertThat(q.tryGet()).contains("x");
        });
    }

    @Test
    void aCancelledGetterDoesNotBlockTheGettersBehindIt() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<String> first = Weft.spawn(q::get);
            Task<String> second = Weft.spawn(q::get);
            Weft.yield();
            first.cancel();
            Weft.yield(); // the cancelled getter runs and leaves
            assertThat(q.statistics().gettersWaiting()).isEqualTo(1);
            q.put("x");
            assertThat(Weft.await(second)).isEqualTo("x");
            assertThat(first.isCancelled()).isTrue();
        });
    }

    @Test
    void anAlreadyCancelledTaskCannotGetAnItemThatIsThere() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            q.put("x");
            Task<String> getter = Weft.spawn(() -> {
                Weft.currentTask().cancel();
                return q.get();
            });
            assertThatThrownBy(() -> Weft.await(getter)).isInstanceOf(TaskCancelledException.class);
            assertThat(q.tryGet()).contains("x");
        });
    }

    // ---------------------------------------------------------------- cancellation and timeouts: put

    @Test
    void aCancelledPuttersItemNeverAppears() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo(1);
            q.put("a");
            Task<Void> putter = Weft.spawn(() -> q.put("b"));
            Weft.yield();
            putter.cancel();
            assertThat(q.get()).isEqualTo("a"); // the freed slot does not go to the cancelled putter
            assertThatThrownBy(() -> Weft.await(putter)).isInstanceOf(TaskCancelledException.class);
            assertThat(q.tryGet()).isEmpty();
            assertThat(q.statistics().unfinished()).isEqualTo(1);
        });
    }

    @Test
    void aPutterThatTimedOutHasNotPutItsItem() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo(1);
            q.put("a");
            assertThatThrownBy(() -> Weft.withTimeout(SECOND, () -> q.put("b")))
                    .isInstanceOf(DeadlineExceededException.class);
            assertThat(Weft.nanoTime()).isEqualTo(SECOND.toNanos());
            assertThat(q.get()).isEqualTo("a");
            assertThat(q.tryGet()).isEmpty();
            assertThat(q.statistics().puttersWaiting()).isZero();
        });
    }

    @Test
    void aCancelledPutterDoesNotBlockThePuttersBehindIt() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo(1);
            q.put("a");
            Task<Void> first = Weft.spawn(() -> q.put("b"));
            Task<Void> second = Weft.spawn(() -> q.put("c"));
            Weft.yield();
            first.cancel();
            assertThat(q.get()).isEqualTo("a");
            Weft.await(second);
            assertThat(q.get()).isEqualTo("c");
            assertThat(first.isDone()).isTrue();
        });
    }

    @Test
    void aPutterWhoseItemWasTakenThenCancelledReturnsNormallyAndIsCancelledAtItsNextSuspensionPoint() {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo(1);
            q.put("a");
            Task<Void> putter = Weft.spawn(() -> {
                q.put("b");
                log.add("put returned");
                Weft.yield();
                log.add("not reached");
            });
            Weft.yield();
            assertThat(q.get()).isEqualTo("a"); // moves "b" in
            putter.cancel();
            assertThatThrownBy(() -> Weft.await(putter)).isInstanceOf(TaskCancelledException.class);
            assertThat(log).containsExactly("put returned");
            assertThat(q.get()).isEqualTo("b");
        });
    }

    @Test
    void anAlreadyCancelledTaskCannotPutEvenWhenThereIsRoom() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<Void> putter = Weft.spawn(() -> {
                Weft.currentTask().cancel();
                q.put("x");
            });
            assertThatThrownBy(() -> Weft.await(putter)).isInstanceOf(TaskCancelledException.class);
            assertThat(q.statistics().unfinished()).isZero();
            assertThat(q.tryGet()).isEmpty();
        });
    }

    // ---------------------------------------------------------------- cancellation and timeouts: join

    @Test
    void aCancelledJoinerThrowsAndTheOtherJoinersStillReturn() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            q.put("a");
            Task<Void> cancelled = Weft.spawn(q::join);
            Task<Void> other = Weft.spawn(q::join);
            Weft.yield();
            cancelled.cancel();
            q.get();
            q.taskDone();
            assertThatThrownBy(() -> Weft.await(cancelled)).isInstanceOf(TaskCancelledException.class);
            Weft.await(other);
            assertThat(other.isCancelled()).isFalse();
        });
    }

    @Test
    void aJoinTimesOutWhileItemsAreUnfinished() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            q.put("a");
            assertThatThrownBy(() -> Weft.withTimeout(SECOND, q::join)).isInstanceOf(DeadlineExceededException.class);
            assertThat(Weft.nanoTime()).isEqualTo(SECOND.toNanos());
            assertThat(q.statistics().unfinished()).isEqualTo(1);
        });
    }

    @Test
    void statisticsDoNotCountAWaiterWokenByItsCancellation() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<String> getter = Weft.spawn(q::get);
            Weft.yield();
            getter.cancel();
            assertThat(q.statistics().gettersWaiting()).isZero();
            assertThat(getter.state()).isEqualTo(Task.State.READY);
        });
    }
}
