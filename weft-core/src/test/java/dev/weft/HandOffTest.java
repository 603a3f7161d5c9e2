package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-offs between the tasks of a loop: what a primitive hands to a waiting task (an item, a slot)
 * and the reservation it makes for a woken task that has not run yet, passed on when that task is
 * cancelled: nothing lost, nothing delivered twice, capacity counted.
 */
class HandOffTest {
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
