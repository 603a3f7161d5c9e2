package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    // ---------------------------------------------------------------- which clause

    @Test
    void selectPicksTheClauseThatIsReady() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.buffered(1);
            Channel<String> b = Channel.buffered(1);
            b.send("x");
            String r = Select.select(a.onReceive(v -> "a:" + v), b.onReceive(v -> "b:" + v));
            assertThat(r).isEqualTo("b:x");
        });
    }

    @Test
    void whenSeveralClausesAreReadyTheFirstListedWinsAndTheOthersAreUntouched() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.buffered(1);
            Channel<String> b = Channel.buffered(1);
            a.send("1");
            b.send("2");
            String r = Select.select(b.onReceive(v -> "b:" + v), a.onReceive(v -> "a:" + v));
            assertThat(r).isEqualTo("b:2");
            assertThat(a.tryReceive()).contains("1");
        });
    }

    @Test
    void exactlyOneOfTwoWaitingRendezvousSendersIsReceivedFrom() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            Channel<String> b = Channel.rendezvous();
            Task<Void> senderA = Weft.spawn(() -> a.send("x"));
            Task<Void> senderB = Weft.spawn(() -> b.send("y"));
            Weft.yield();
            String r = Select.select(a.onReceive(v -> "a:" + v), b.onReceive(v -> "b:" + v));
            assertThat(r).isEqualTo("a:x");
            Weft.await(senderA);
            assertThat(senderB.state()).isEqualTo(Task.State.SUSPENDED);
            assertThat(b.statistics().sendersWaiting()).isEqualTo(1);
            assertThat(b.receive()).isEqualTo("y");
        });
    }

    @Test
    void aWaitingSelectTakesOnlyTheFirstItemOfferedAndLeavesTheOtherChannel() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            Channel<String> b = Channel.rendezvous();
            Task<String> selector = Weft.spawn(() -> Select.select(a.onReceive(v -> "a:" + v), b.onReceive(v -> "b:" + v)));
            Weft.yield();
            assertThat(b.trySend("y")).isTrue();
            assertThat(a.trySend("x")).isFalse(); // the select already happened on b
            assertThat(Weft.await(selector)).isEqualTo("b:y");
            assertThat(a.statistics().receiversWaiting()).isZero();
        });
    }

    @Test
    void onlyTheFunctionOfTheClauseThatHappenedRuns() {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Channel<String> a = Channel.buffered(1);
            Channel<String> b = Channel.buffered(1);
            b.send("y");
            Select.select(a.onReceive(v -> log.add("a")), b.onReceive(v -> log.add("b")),
                    Select.onTimeout(Duration.ZERO, () -> log.add("timeout")));
            assertThat(log).containsExactly("b");
        });
    }

    @Test
    void aClauseCanBeUsedInSeveralSelects() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.unlimited();
            a.send("x");
            a.send("y");
            Clause<String> receive = a.onReceive(v -> "got " + v);
            assertThat(Select.select(receive)).isEqualTo("got x");
            assertThat(Select.select(receive)).isEqualTo("got y");
        });
    }

    // ---------------------------------------------------------------- waiting

    @Test
    void selectWaitsWhenNoClauseIsReadyAndCompletesWhenASendArrives() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            Channel<String> b = Channel.rendezvous();
            Task<String> selector = Weft.spawn(() -> Select.select(a.onReceive(v -> "a:" + v), b.onReceive(v -> "b:" + v)));
            Weft.yield();
            assertThat(selector.state()).isEqualTo(Task.State.SUSPENDED);
            b.send("y");
            assertThat(Weft.await(selector)).isEqualTo("b:y");
        });
    }

    @Test
    void aWaitingOnSendCompletesWhenAReceiverArrives() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            Task<String> selector = Weft.spawn(() -> Select.select(a.onSend("x", () -> "sent")));
            Weft.yield();
            assertThat(selector.state()).isEqualTo(Task.State.SUSPENDED);
            assertThat(a.receive()).isEqualTo("x");
            assertThat(Weft.await(selector)).isEqualTo("sent");
        });
    }

    @Test
    void anOnSendWithRoomHappensAtOnce() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.buffered(1);
            assertThat(Select.select(a.onSend("x", () -> "sent"))).isEqualTo("sent");
            assertThat(a.tryReceive()).contains("x");
        });
    }

    @Test
    void anOnSendToAFullChannelIsNotTakenWhileAnotherClauseIsReady() {
        Loops.virtual(() -> {
            Channel<String> full = Channel.buffered(1);
            Channel<String> other = Channel.buffered(1);
            full.send("old");
            other.send("y");
            String r = Select.select(full.onSend("new", () -> "sent"), other.onReceive(v -> "got " + v));
            assertThat(r).isEqualTo("got y");
            assertThat(full.statistics().size()).isEqualTo(1);
            assertThat(full.receive()).isEqualTo("old");
        });
    }

    @Test
    void twoTasksSelectingOnEachOthersChannelsPairUp() {
        Loops.virtual(() -> {
            Channel<Integer> a = Channel.rendezvous();
            Channel<Integer> b = Channel.rendezvous();
            Task<String> first = Weft.spawn(() -> Select.select(a.onSend(1, () -> "first sent"),
                    b.onReceive(v -> "first got " + v)));
            Task<String> second = Weft.spawn(() -> Select.select(b.onSend(2, () -> "second sent"),
                    a.onReceive(v -> "second got " + v)));
            assertThat(Weft.await(first)).isEqualTo("first got 2");
            assertThat(Weft.await(second)).isEqualTo("second sent");
            assertThat(a.statistics().sendersWaiting()).isZero();
            assertThat(a.trySend(3)).isFalse(); // nobody is left waiting on a
        });
    }

    // ---------------------------------------------------------------- timeouts

    @Test
    void onTimeoutFiresOnTheLoopClockWhenNothingHappens() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            String r = Select.select(a.onReceive(v -> "got " + v), Select.onTimeout(Duration.ofSeconds(5), () -> "idle"));
            assertThat(r).isEqualTo("idle");
            assertThat(Weft.nanoTime()).isEqualTo(Duration.ofSeconds(5).toNanos());
            assertThat(a.trySend("x")).isFalse(); // the select's receiver left
        });
    }

    @Test
    void onTimeoutDoesNotFireWhenAClauseHappensFirst() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            Weft.spawn(() -> {
                Weft.sleep(SECOND);
                a.send("x");
            });
            String r = Select.select(a.onReceive(v -> "got " + v), Select.onTimeout(Duration.ofSeconds(5), () -> "idle"));
            assertThat(r).isEqualTo("got x");
            assertThat(Weft.nanoTime()).isEqualTo(SECOND.toNanos());
        });
    }

    @Test
    void aZeroTimeoutMakesANonWaitingDefault() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            String r = Select.select(a.onReceive(v -> "got " + v), Select.onTimeout(Duration.ZERO, () -> "none"));
            assertThat(r).isEqualTo("none");
            assertThat(Weft.nanoTime()).isZero();
            assertThat(a.statistics().receiversWaiting()).isZero();
        });
    }

    @Test
    void aNegativeTimeoutAlsoMakesANonWaitingDefault() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            String r = Select.select(a.onReceive(v -> "got " + v), Select.onTimeout(Duration.ofSeconds(-1), () -> "none"));
            assertThat(r).isEqualTo("none");
            assertThat(Weft.nanoTime()).isZero();
        });
    }

    @Test
    void aZeroTimeoutListedFirstLosesToAClauseThatCanHappenAtOnce() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.buffered(1);
            a.send("x");
            String r = Select.select(Select.onTimeout(Duration.ZERO, () -> "none"), a.onReceive(v -> "got " + v));
            assertThat(r).isEqualTo("got x");
        });
    }

    @Test
    void aSelectOfOnlyATimeoutSleepsForIt() {
        Loops.virtual(() -> {
            String r = Select.select(Select.onTimeout(SECOND, () -> "slept"));
            assertThat(r).isEqualTo("slept");
            assertThat(Weft.nanoTime()).isEqualTo(SECOND.toNanos());
        });
    }

    // ---------------------------------------------------------------- closed channels

    @Test
    void onReceiveFromAClosedChannelThrowsWithoutCause() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            a.close();
            assertThatThrownBy(() -> Select.select(a.onReceive(v -> v))).isInstanceOf(ChannelClosedException.class)
                    .hasNoCause();
        });
    }

    @Test
    void onReceiveFromAFailedChannelThrowsWithTheCause() {
        IOException boom = new IOException("boom");
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            a.fail(boom);
            assertThatThrownBy(() -> Select.select(a.onReceive(v -> v))).isInstanceOf(ChannelClosedException.class)
                    .hasCause(boom);
        });
    }

    @Test
    void onReceiveOrClosedYieldsDoneAndFailed() {
        IOException boom = new IOException("boom");
        Loops.virtual(() -> {
            Channel<String> done = Channel.rendezvous();
            Channel<String> failed = Channel.rendezvous();
            done.close();
            failed.fail(boom);
            assertThat(Select.<Received<String>>select(done.onReceiveOrClosed(r -> r))).isEqualTo(new Received.Done<>());
            assertThat(Select.<Received<String>>select(failed.onReceiveOrClosed(r -> r)))
                    .isEqualTo(new Received.Failed<>(boom));
        });
    }

    @Test
    void onReceiveOrClosedYieldsTheItemsBufferedBeforeDone() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.buffered(1);
            a.send("x");
            a.close();
            assertThat(Select.<Received<String>>select(a.onReceiveOrClosed(r -> r))).isEqualTo(new Received.Item<>("x"));
            assertThat(Select.<Received<String>>select(a.onReceiveOrClosed(r -> r))).isEqualTo(new Received.Done<>());
        });
    }

    @Test
    void aWaitingSelectIsWokenByACloseWithDone() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            Channel<String> b = Channel.rendezvous();
            Task<Received<String>> selector = Weft.spawn(() -> Select.<Received<String>>select(
                    a.onReceiveOrClosed(r -> r), b.onReceiveOrClosed(r -> r)));
            Weft.yield();
            b.close();
            assertThat(Weft.await(selector)).isEqualTo(new Received.Done<>());
            assertThat(a.trySend("x")).isFalse();
        });
    }

    @Test
    void onSendToAClosedChannelThrows() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.unlimited();
            a.close();
            assertThatThrownBy(() -> Select.select(a.onSend("x", () -> "sent")))
                    .isInstanceOf(ChannelClosedException.class);
        });
    }

    @Test
    void aWaitingOnSendFailsWhenTheChannelIsClosed() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            Task<String> selector = Weft.spawn(() -> Select.select(a.onSend("x", () -> "sent")));
            Weft.yield();
            a.close();
            assertThatThrownBy(() -> Weft.await(selector)).hasCauseInstanceOf(ChannelClosedException.class);
            assertThat(a.receiveOrClosed()).isEqualTo(new Received.Done<>());
        });
    }

    // ---------------------------------------------------------------- cancellation

    @Test
    void aCancelledSelectConsumesNothingAndALaterReceiverGetsTheItem() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.buffered(1);
            Channel<String> b = Channel.buffered(1);
            Task<String> selector = Weft.spawn(() -> Select.select(a.onReceive(v -> "a:" + v), b.onReceive(v -> "b:" + v)));
            Weft.yield();
            selector.cancel();
            a.send("x"); // the select was woken by its cancellation but has not run yet
            assertThatThrownBy(() -> Weft.await(selector)).isInstanceOf(TaskCancelledException.class);
            assertThat(a.receive()).isEqualTo("x");
            assertThat(b.statistics().receiversWaiting()).isZero();
        });
    }

    @Test
    void aCancelledSelectDoesNotSend() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            Task<String> selector = Weft.spawn(() -> Select.select(a.onSend("x", () -> "sent")));
            Weft.yield();
            selector.cancel();
            assertThat(a.tryReceive()).isEmpty();
            assertThatThrownBy(() -> Weft.await(selector)).isInstanceOf(TaskCancelledException.class);
            assertThat(a.statistics().sendersWaiting()).isZero();
        });
    }

    @Test
    void aSelectThatTimedOutInATimeoutScopeConsumesNothing() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.buffered(1);
            assertThatThrownBy(() -> Weft.withTimeout(SECOND, () -> Select.select(a.onReceive(v -> v))))
                    .isInstanceOf(DeadlineExceededException.class);
            assertThat(Weft.nanoTime()).isEqualTo(SECOND.toNanos());
            a.send("x");
            assertThat(a.tryReceive()).contains("x");
        });
    }

    @Test
    void aSelectCancelledAfterAnItemWasReservedForItTakesNothing() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.rendezvous();
            Channel<String> b = Channel.rendezvous();
            Task<String> selector = Weft.spawn(() -> Select.select(a.onReceive(v -> "a:" + v), b.onReceive(v -> "b:" + v)));
            Weft.yield();
            assertThat(a.trySend("x")).isTrue();
            selector.cancel();
            assertThatThrownBy(() -> Weft.await(selector)).isInstanceOf(TaskCancelledException.class);
            assertThat(a.tryReceive()).contains("x");
            assertThat(b.statistics().receiversWaiting()).isZero();
        });
    }

    // ---------------------------------------------------------------- misuse

    @Test
    void aSelectFromAThreadThatIsNotATaskFails() {
        Channel<String> a = Channel.unlimited();
        assertThatThrownBy(() -> Select.select(a.onReceive(v -> v))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Select.select");
    }

    @Test
    void aSelectWithoutClausesIsRejected() {
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Select.<String>select()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least one clause");
        });
    }

    @Test
    void aSelectWithTwoTimeoutsIsRejected() {
        Loops.virtual(() -> {
            Channel<String> a = Channel.unlimited();
            a.send("x");
            assertThatThrownBy(() -> Select.select(a.onReceive(v -> v), Select.onTimeout(SECOND, () -> "1"),
                    Select.onTimeout(SECOND, () -> "2"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("more than one onTimeout");
            assertThat(a.tryReceive()).contains("x"); // rejected before anything happened
        });
    }

    @Test
    void aZeroOrNegativeTimeoutClauseHappensAtOnceUnlessAnotherClauseIsReady() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(1);
            assertThat(Select.select(ch.onReceive(v -> v), Select.onTimeout(Duration.ofSeconds(-1), () -> "timed out")))
                    .isEqualTo("timed out");
            ch.send("ready");
            assertThat(Select.select(ch.onReceive(v -> v), Select.onTimeout(Duration.ZERO, () -> "timed out")))
                    .isEqualTo("ready");
            assertThat(Weft.nanoTime()).isZero();
        });
    }
}
