package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Channel#closeReceiving()}: the receivers' side of trio's per-side close (trio's
 * {@code test_close_basics}), so that a producer stops when its consumer has gone.
 */
class ChannelReceiveCloseTest {

    @Test
    void aWaitingSenderFailsWhenTheReceiversCloseAndLaterSendsFailAtOnce() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<Void> sender = Weft.spawn(() -> ch.send("never received"));
            Testing.waitAllTasksBlocked();
            assertThat(ch.closeReceiving()).isTrue();
            assertThatThrownBy(() -> Weft.await(sender)).isInstanceOf(TaskFailedException.class)
                    .cause().isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("closed for receiving (its receivers have gone)");
            assertThatThrownBy(() -> ch.trySend("x")).isInstanceOf(ChannelClosedException.class);
            assertThatThrownBy(() -> ch.send("x")).isInstanceOf(ChannelClosedException.class);
            assertThat(ch.statistics().state()).isEqualTo(Channel.State.RECEIVE_CLOSED);
        });
    }

    @Test
    void aWaitingReceiverAndLaterReceivesSeeTheChannelEnded() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(4);
            Task<String> receiver = Weft.spawn(ch::receive);
            Task<Received<String>> orClosed = Weft.spawn(ch::receiveOrClosed);
            Testing.waitAllTasksBlocked();
            ch.closeReceiving();
            assertThatThrownBy(() -> Weft.await(receiver)).cause().isInstanceOf(ChannelClosedException.class);
            assertThat(Weft.await(orClosed)).isEqualTo(new Received.Done<>());
            assertThatThrownBy(ch::tryReceive).isInstanceOf(ChannelClosedException.class);
            assertThat(ch.receiveOrClosed()).isEqualTo(new Received.Done<>());
            assertThat(ch.iterator().hasNext()).isFalse();
        });
    }

    @Test
    void bufferedItemsAreDropped() {
        Loops.virtual(() -> {
            Channel<Integer> ch = Channel.buffered(4);
            ch.send(1);
            ch.send(2);
            ch.closeReceiving();
            assertThat(ch.statistics().size()).isZero();
            assertThat(ch.receiveOrClosed()).isEqualTo(new Received.Done<>());
        });
    }

    @Test
    void aProducerStopsWhenItsConsumerHasGone() {
        List<Integer> received = new ArrayList<>();
        Loops.virtual(() -> {
            Channel<Integer> ch = Channel.buffered(2);
            Task<Integer> producer = Weft.spawn("producer", () -> {
                int sent = 0;
                try {
                    for (int i = 0; ; i++) {
                        ch.send(i);
                        sent++;
                    }
                } catch (ChannelClosedException e) {
                    return sent;
                }
            });
            for (int i = 0; i < 3; i++) {
                received.add(ch.receive());
            }
            ch.closeReceiving(); // the consumer goes
            int sent = Weft.await(producer);
            assertThat(sent).as("at most a buffer more than received").isBetween(3, 3 + 2);
        });
        assertThat(received).containsExactly(0, 1, 2);
    }

    @Test
    void aReceiverAlreadyWokenForAnItemStillGetsIt() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<String> receiver = Weft.spawn(ch::receive);
            Testing.waitAllTasksBlocked();
            ch.send("promised"); // reserved for the waiting receiver, which has not run yet
            ch.closeReceiving();
            assertThat(Weft.await(receiver)).isEqualTo("promised");
        });
    }

    @Test
    void closingTheReceivingSideIsIdempotentAndAlsoEndsAChannelItsSendersClosed() {
        Loops.virtual(() -> {
            Channel<Integer> ch = Channel.buffered(4);
            ch.send(1);
            assertThat(ch.close()).isTrue();
            assertThat(ch.statistics().state()).isEqualTo(Channel.State.DONE);
            assertThat(ch.closeReceiving()).as("the item not received yet is dropped").isTrue();
            assertThat(ch.receiveOrClosed()).isEqualTo(new Received.Done<>());
            assertThat(ch.closeReceiving()).isFalse();
            assertThat(ch.close()).isFalse();
            assertThat(ch.fail(new IllegalStateException())).isFalse();
            assertThat(ch.statistics().state()).isEqualTo(Channel.State.RECEIVE_CLOSED);
            assertThat(ch.toString()).contains("closed for receiving");
        });
    }

    @Test
    void aSelectSendingOnAChannelWhoseReceiversHaveGoneFails() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Channel<String> other = Channel.rendezvous();
            Task<String> selector = Weft.spawn(() -> Select.select(
                    ch.onSend("x", () -> "sent"),
                    other.onReceive(v -> "received " + v)));
            Testing.waitAllTasksBlocked();
            ch.closeReceiving();
            assertThatThrownBy(() -> Weft.await(selector)).cause().isInstanceOf(ChannelClosedException.class);
        });
    }

    @Test
    void afterAFailureReceiversStillSeeTheFailure() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(2);
            IllegalStateException cause = new IllegalStateException("upstream broke");
            ch.fail(cause);
            assertThat(ch.closeReceiving()).isTrue();
            assertThat(ch.receiveOrClosed()).isEqualTo(new Received.Failed<>(cause));
            assertThatThrownBy(() -> ch.send("x")).isInstanceOf(ChannelClosedException.class).hasCause(cause);
            assertThat(ch.statistics().state()).isEqualTo(Channel.State.RECEIVE_CLOSED);
        });
    }
}
