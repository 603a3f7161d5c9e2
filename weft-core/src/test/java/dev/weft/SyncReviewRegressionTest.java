package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Regression tests for the bugs a review of dev.weft.sync found, each named after what it pins. */
class SyncReviewRegressionTest {
    private final List<String> log = new ArrayList<>();

    @Test
    void aComparatorRejectingAWaitingPuttersItemFailsThatPutAndLosesNothing() {
        Comparator<String> noBad = (a, b) -> {
            if (a.equals("bad") || b.equals("bad")) {
                throw new IllegalArgumentException("no bad items");
            }
            return a.compareTo(b);
        };
        Loops.virtual(() -> {
            Queue<String> q = Queue.priority(2, noBad);
            q.put("x");
            q.put("y");
            Task<Void> putter = Weft.spawn(() -> q.put("bad")); // waits: the queue is full
            Weft.yield();
            assertThat(q.get()).isEqualTo("x"); // frees a slot: the putter's item is rejected
            assertThatThrownBy(() -> Weft.await(putter)).hasRootCauseMessage("no bad items");
            assertThat(q.get()).isEqualTo("y");
            q.taskDone();
            q.taskDone();
            q.join(); // nothing unfinished is left behind
            assertThat(q.statistics().size()).isZero();
        });
    }

    @Test
    void aWaiterLeftByAnAbandonedRunIsNotHandedAPermitByALaterRun() {
        Semaphore sem = new Semaphore(0);
        assertThatThrownBy(() -> Loops.virtual(() -> {
            Task<Void> stuck = Weft.spawn(() -> {
                try (Shield _ = Weft.shield()) {
                    sem.acquire(); // shielded: the deadlock's cancellation cannot end it
                }
            });
            Weft.await(stuck);
        })).isInstanceOf(DeadlockException.class);
        Loops.virtual(() -> {
            sem.release();
            assertThat(sem.availablePermits()).isEqualTo(1);
            assertThat(sem.statistics().waiting()).isZero();
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
        Barrier barrier = new Barrier(2, SyncReviewRegressionTest::throwSneakily);
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
        SyncReviewRegressionTest.<RuntimeException>sneaky(new IOException("checked"));
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> void sneaky(Throwable t) throws X {
        throw (X) t;
    }

    @Test
    void aPermitClosedByTheWrongTaskStaysUsableByItsOwner() {
        Lock lock = new Lock();
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

    @Test
    void anotherThreadSetsAnEventThroughLoopSubmitOfAnAction() throws Exception {
        Event event = new Event();
        CompletableFuture<Loop> running = new CompletableFuture<>();
        try (Loop loop = Loop.builder().noStallWatchdog().build()) {
            Thread helper = Thread.ofPlatform().start(() -> {
                Loop l = running.join();
                l.submit(() -> event.set()).join();
            });
            boolean set = loop.run(() -> {
                running.complete(Weft.loop());
                Weft.withTimeout(Duration.ofSeconds(30), event::await);
                return event.isSet();
            });
            helper.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(set).isTrue();
        }
    }

    // ---------------------------------------------------------------- a second review: reservations

    @Test
    void aSelectCannotBothSendToAndReceiveFromOneRendezvousChannel() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            assertThatThrownBy(() -> Select.select(ch.onSend("y", () -> "sent"), ch.onReceive(v -> v)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("could never pair with itself");
            Channel<String> buffered = Channel.buffered(1); // with a buffer both ways is fine
            assertThat(Select.select(buffered.onSend("y", () -> "sent"), buffered.onReceive(v -> v))).isEqualTo("sent");
        });
    }

    @Test
    void aFailedChannelNeverHandsOutAnItemPassedOnByACancelledReceiver() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(4);
            Task<String> r1 = Weft.spawn(ch::receive);
            Weft.yield();
            ch.send("a"); // reserved for r1
            ch.fail(new IOException("boom"));
            r1.cancel(); // before r1 ran again: it passes its reservation on
            Weft.yield();
            assertThat(r1.isCancelled()).isTrue();
            assertThat(ch.receiveOrClosed()).isInstanceOf(Received.Failed.class);
            assertThat(ch.statistics().size()).isZero();
        });
    }

    @Test
    void aClosedChannelDeliversAnItemPassedOnByACancelledReceiverBeforeDone() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(4);
            Task<String> r1 = Weft.spawn(ch::receive);
            Weft.yield();
            ch.send("a"); // reserved for r1
            ch.close();
            r1.cancel(); // r1 will pass "a" on
            assertThat(ch.receiveOrClosed()).isEqualTo(new Received.Item<>("a")); // waits for the reservation
            assertThat(ch.receiveOrClosed()).isInstanceOf(Received.Done.class);
            assertThat(r1.isCancelled()).isTrue();
        });
    }

    @Test
    void aShutDownQueueDeliversAnItemPassedOnByACancelledGetterSoJoinReturns() {
        Loops.virtual(() -> {
            Queue<String> q = Queue.fifo();
            Task<String> w1 = Weft.spawn(q::get);
            Weft.yield();
            q.put("a"); // reserved for w1
            q.shutdown();
            w1.cancel(); // w1 will pass "a" on
            List<String> got = new ArrayList<>();
            for (String s : q) {
                got.add(s);
                q.taskDone();
            }
            assertThat(got).containsExactly("a");
            q.join();
            assertThat(w1.isCancelled()).isTrue();
        });
    }

    @Test
    void itemsReservedForWokenTakersCountAgainstTheCapacity() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(1);
            Queue<String> q = Queue.fifo(1);
            Weft.spawn(ch::receive);
            Weft.spawn(q::get);
            Weft.yield();
            assertThat(ch.trySend("a")).isTrue(); // reserved for the receiver, which has not run
            assertThat(ch.trySend("b")).isFalse(); // full, as asyncio's full() says
            assertThat(q.tryPut("a")).isTrue();
            assertThat(q.tryPut("b")).isFalse();
        });
    }

    @Test
    void aConflatedChannelKeepsTheNewestItemWhenAReservationIsPassedOn() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.conflated();
            Task<String> r1 = Weft.spawn(ch::receive);
            Weft.yield();
            ch.send("a"); // reserved for r1
            ch.send("b"); // the newest
            r1.cancel();
            Weft.yield();
            assertThat(ch.receive()).isEqualTo("b");
            assertThat(ch.tryReceive()).isEmpty();
        });
    }
}
