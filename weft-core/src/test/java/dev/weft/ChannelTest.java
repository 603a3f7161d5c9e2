package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChannelTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    // ---------------------------------------------------------------- rendezvous

    @Test
    void aRendezvousSendWaitsForAReceiver() {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<Void> sender = Weft.spawn(() -> {
                ch.send("a");
                log.add("sent");
            });
            Weft.yield();
            assertThat(log).isEmpty();
            assertThat(sender.state()).isEqualTo(Task.State.SUSPENDED);
            assertThat(ch.receive()).isEqualTo("a");
            Weft.await(sender);
            assertThat(log).containsExactly("sent");
        });
    }

    @Test
    void aRendezvousReceiveWaitsForASender() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<String> receiver = Weft.spawn(ch::receive);
            Weft.yield();
            assertThat(receiver.state()).isEqualTo(Task.State.SUSPENDED);
            ch.send("a"); // handed over: the sender does not wait
            assertThat(Weft.await(receiver)).isEqualTo("a");
        });
    }

    @Test
    void rendezvousSendersAreServedInTheOrderTheyCame() {
        Loops.virtual(() -> {
            Channel<Integer> ch = Channel.rendezvous();
            for (int i = 1; i <= 3; i++) {
                int item = i;
                Weft.spawn(() -> ch.send(item));
            }
            Weft.yield();
            assertThat(List.of(ch.receive(), ch.receive(), ch.receive())).containsExactly(1, 2, 3);
        });
    }

    @Test
    void rendezvousReceiversAreServedInTheOrderTheyCame() {
        Loops.virtual(() -> {
            Channel<Integer> ch = Channel.rendezvous();
            Task<Integer> first = Weft.spawn(ch::receive);
            Task<Integer> second = Weft.spawn(ch::receive);
            Weft.yield();
            ch.send(1);
            ch.send(2);
            assertThat(List.of(Weft.await(first), Weft.await(second))).containsExactly(1, 2);
        });
    }

    @Test
    void rendezvousTrySendSucceedsOnlyWithAWaitingReceiver() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            assertThat(ch.trySend("a")).isFalse();
            Task<String> receiver = Weft.spawn(ch::receive);
            Weft.yield();
            assertThat(ch.trySend("b")).isTrue();
            assertThat(Weft.await(receiver)).isEqualTo("b");
        });
    }

    @Test
    void rendezvousTryReceiveSucceedsOnlyWithAWaitingSender() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            assertThat(ch.tryReceive()).isEmpty();
            Task<Void> sender = Weft.spawn(() -> ch.send("a"));
            Weft.yield();
            assertThat(ch.tryReceive()).contains("a");
            Weft.await(sender);
            assertThat(sender.isDone()).isTrue();
        });
    }

    // ---------------------------------------------------------------- buffered, unlimited, conflated

    @Test
    void aBufferedChannelTakesCapacityItemsWithoutWaiting() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(2);
            assertThat(ch.trySend("a")).isTrue();
            ch.send("b");
            assertThat(ch.trySend("c")).isFalse();
            assertThat(ch.statistics().size()).isEqualTo(2);
        });
    }

    @Test
    void aBufferedSendWaitsWhileFullAndItsItemIsMovedInWhenASlotFrees() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(1);
            ch.send("a");
            Task<Void> sender = Weft.spawn(() -> ch.send("b"));
            Weft.yield();
            assertThat(sender.state()).isEqualTo(Task.State.SUSPENDED);
            assertThat(ch.receive()).isEqualTo("a");
            assertThat(ch.statistics().size()).isEqualTo(1);
            Weft.await(sender);
            assertThat(ch.receive()).isEqualTo("b");
        });
    }

    @Test
    void bufferedSendersWaitingWhileFullAreServedInTheOrderTheyCame() {
        Loops.virtual(() -> {
            Channel<Integer> ch = Channel.buffered(1);
            ch.send(0);
            for (int i = 1; i <= 3; i++) {
                int item = i;
                Weft.spawn(() -> ch.send(item));
            }
            Weft.yield();
            assertThat(List.of(ch.receive(), ch.receive(), ch.receive(), ch.receive())).containsExactly(0, 1, 2, 3);
        });
    }

    @Test
    void anUnlimitedChannelNeverMakesASenderWait() {
        Loops.virtual(() -> {
            Channel<Integer> ch = Channel.unlimited();
            for (int i = 0; i < 1000; i++) {
                assertThat(ch.trySend(i)).isTrue();
            }
            assertThat(ch.statistics().size()).isEqualTo(1000);
            assertThat(ch.statistics().capacity()).isEqualTo(Channel.UNLIMITED);
            assertThat(List.of(ch.receive(), ch.receive())).containsExactly(0, 1);
        });
    }

    @Test
    void aConflatedChannelKeepsOnlyTheLatestItemAndSendsNeverWait() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.conflated();
            ch.send("a");
            ch.send("b");
            assertThat(ch.trySend("c")).isTrue();
            assertThat(ch.statistics().size()).isEqualTo(1);
            assertThat(ch.receive()).isEqualTo("c");
            assertThat(ch.tryReceive()).isEmpty();
        });
    }

    @Test
    void aConflatedChannelHandsAnItemToAWaitingReceiver() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.conflated();
            Task<String> receiver = Weft.spawn(ch::receive);
            Weft.yield();
            ch.send("a");
            ch.send("b");
            assertThat(Weft.await(receiver)).isEqualTo("a");
            assertThat(ch.tryReceive()).contains("b");
        });
    }

    @Test
    void tryReceiveFromABufferedChannelMovesAWaitingSendersItemIn() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(1);
            ch.send("a");
            Task<Void> sender = Weft.spawn(() -> ch.send("b"));
            Weft.yield();
            assertThat(ch.tryReceive()).contains("a");
            Weft.await(sender);
            assertThat(ch.tryReceive()).contains("b");
        });
    }

    // ---------------------------------------------------------------- close

    @Test
    void afterCloseTheBufferedItemsAreStillReceivedThenReceiveThrowsWithoutCause() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(2);
            ch.send("a");
            ch.send("b");
            assertThat(ch.close()).isTrue();
            assertThat(ch.receive()).isEqualTo("a");
            assertThat(ch.receiveOrClosed()).isEqualTo(new Received.Item<>("b"));
            assertThatThrownBy(ch::receive).isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("Channel.receive").hasNoCause()
                    .satisfies(e -> assertThat(((ChannelClosedException) e).closed()).isEqualTo(new Received.Done<>()));
        });
    }

    @Test
    void receiveOrClosedReturnsDoneOnceAClosedChannelIsDrained() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.unlimited();
            ch.close();
            assertThat(ch.receiveOrClosed()).isEqualTo(new Received.Done<>());
            assertThat(ch.receiveOrClosed()).isEqualTo(new Received.Done<>());
            assertThatThrownBy(ch::tryReceive).isInstanceOf(ChannelClosedException.class).hasNoCause();
        });
    }

    @Test
    void sendAndTrySendThrowAfterClose() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.unlimited();
            ch.close();
            assertThatThrownBy(() -> ch.send("a")).isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("Channel.send").hasNoCause();
            assertThatThrownBy(() -> ch.trySend("a")).isInstanceOf(ChannelClosedException.class);
            assertThat(ch.statistics().size()).isZero();
        });
    }

    @Test
    void sendersWaitingAtCloseFailAndTheirItemsAreNeverReceived() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(1);
            ch.send("a");
            Task<Void> sender = Weft.spawn(() -> ch.send("b"));
            Weft.yield();
            ch.close();
            assertThatThrownBy(() -> Weft.await(sender)).isInstanceOf(TaskFailedException.class)
                    .hasCauseInstanceOf(ChannelClosedException.class);
            assertThat(ch.receive()).isEqualTo("a");
            assertThat(ch.receiveOrClosed()).isEqualTo(new Received.Done<>());
        });
    }

    @Test
    void rendezvousSendersWaitingAtCloseFail() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<Void> sender = Weft.spawn(() -> ch.send("a"));
            Weft.yield();
            ch.close();
            assertThatThrownBy(() -> Weft.await(sender)).hasCauseInstanceOf(ChannelClosedException.class);
            assertThat(ch.receiveOrClosed()).isEqualTo(new Received.Done<>());
        });
    }

    @Test
    void receiversWaitingAtCloseGetDone() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<Received<String>> orClosed = Weft.spawn(ch::receiveOrClosed);
            Task<String> plain = Weft.spawn(ch::receive);
            Weft.yield();
            ch.close();
            assertThat(Weft.await(orClosed)).isEqualTo(new Received.Done<>());
            assertThatThrownBy(() -> Weft.await(plain)).hasCauseInstanceOf(ChannelClosedException.class)
                    .satisfies(e -> assertThat(e.getCause()).hasNoCause());
        });
    }

    // ---------------------------------------------------------------- fail

    @Test
    void failDropsTheBufferAndReceiversGetTheCause() {
        IOException boom = new IOException("boom");
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(2);
            ch.send("a");
            ch.send("b");
            assertThat(ch.fail(boom)).isTrue();
            assertThat(ch.statistics().size()).isZero();
            assertThat(ch.receiveOrClosed()).isEqualTo(new Received.Failed<>(boom));
            assertThatThrownBy(ch::receive).isInstanceOf(ChannelClosedException.class).hasCause(boom)
                    .satisfies(e -> assertThat(((ChannelClosedException) e).closed()).isEqualTo(new Received.Failed<>(boom)));
            assertThatThrownBy(ch::tryReceive).isInstanceOf(ChannelClosedException.class).hasCause(boom);
        });
    }

    @Test
    void receiversWaitingAtFailGetTheCause() {
        IOException boom = new IOException("boom");
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<Received<String>> orClosed = Weft.spawn(ch::receiveOrClosed);
            Task<String> plain = Weft.spawn(ch::receive);
            Weft.yield();
            ch.fail(boom);
            assertThat(Weft.await(orClosed)).isEqualTo(new Received.Failed<>(boom));
            assertThatThrownBy(() -> Weft.await(plain)).hasCauseInstanceOf(ChannelClosedException.class)
                    .satisfies(e -> assertThat(e.getCause()).hasCause(boom));
        });
    }

    @Test
    void sendersWaitingAtFailAndLaterSendsThrowWithTheCause() {
        IOException boom = new IOException("boom");
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<Void> sender = Weft.spawn(() -> ch.send("a"));
            Weft.yield();
            ch.fail(boom);
            assertThatThrownBy(() -> Weft.await(sender)).hasCauseInstanceOf(ChannelClosedException.class)
                    .satisfies(e -> assertThat(e.getCause()).hasCause(boom));
            assertThatThrownBy(() -> ch.send("b")).isInstanceOf(ChannelClosedException.class).hasCause(boom);
        });
    }

    @Test
    void closeAndFailReturnFalseOnceClosedAndKeepTheFirstClosing() {
        IOException boom = new IOException("boom");
        Loops.virtual(() -> {
            Channel<String> done = Channel.unlimited();
            done.send("a");
            assertThat(done.close()).isTrue();
            assertThat(done.close()).isFalse();
            assertThat(done.fail(boom)).isFalse();
            assertThat(done.receive()).isEqualTo("a"); // the failure was not applied
            assertThat(done.receiveOrClosed()).isEqualTo(new Received.Done<>());

            Channel<String> failed = Channel.unlimited();
            assertThat(failed.fail(boom)).isTrue();
            assertThat(failed.close()).isFalse();
            assertThat(failed.fail(new IOException("other"))).isFalse();
            assertThat(failed.receiveOrClosed()).isEqualTo(new Received.Failed<>(boom));
        });
    }

    // ---------------------------------------------------------------- iteration

    @Test
    void iterationReceivesEveryItemAndEndsWhenTheChannelIsDone() {
        Loops.virtual(() -> {
            Channel<Integer> ch = Channel.buffered(1);
            Weft.spawn(() -> {
                for (int i = 1; i <= 3; i++) {
                    ch.send(i);
                }
                ch.close();
            });
            List<Integer> got = new ArrayList<>();
            for (int i : ch) {
                got.add(i);
            }
            assertThat(got).containsExactly(1, 2, 3);
        });
    }

    @Test
    void iterationThrowsTheFailureAfterTheItemsReceived() {
        IOException boom = new IOException("boom");
        Loops.virtual(() -> {
            Channel<Integer> ch = Channel.rendezvous();
            Weft.spawn(() -> {
                ch.send(1);
                ch.fail(boom);
            });
            List<Integer> got = new ArrayList<>();
            assertThatThrownBy(() -> {
                for (int i : ch) {
                    got.add(i);
                }
            }).isInstanceOf(ChannelClosedException.class).hasCause(boom);
            assertThat(got).containsExactly(1);
        });
    }

    // ---------------------------------------------------------------- many senders and receivers

    @Test
    void severalSendersAndReceiversDeliverEveryItemExactlyOnceInEachSendersOrder() {
        Loops.virtual(() -> {
            Channel<Integer> ch = Channel.buffered(2);
            List<Integer> received = new ArrayList<>();
            List<Task<Void>> senders = new ArrayList<>();
            List<Task<Void>> receivers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                receivers.add(Weft.spawn(() -> {
                    for (int item : ch) {
                        received.add(item);
                        Weft.yield();
                    }
                }));
            }
            for (int s = 0; s < 3; s++) {
                int base = s * 100;
                senders.add(Weft.spawn(() -> {
                    for (int i = 0; i < 20; i++) {
                        ch.send(base + i);
                    }
                }));
            }
            senders.forEach(Weft::await);
            ch.close();
            receivers.forEach(Weft::await);
            List<Integer> expected = IntStream.range(0, 3)
                    .flatMap(s -> IntStream.range(0, 20).map(i -> s * 100 + i)).boxed().toList();
            assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
            for (int s = 0; s < 3; s++) {
                int sender = s;
                assertThat(received.stream().filter(i -> i / 100 == sender).toList()).isSorted();
            }
        });
    }

    // ---------------------------------------------------------------- statistics and arguments

    @Test
    void statisticsRecordWaitingSendersAndTheBuffer() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(1);
            ch.send("a");
            Weft.spawn(() -> ch.send("b"));
            Weft.spawn(() -> ch.send("c"));
            Weft.yield();
            assertThat(ch.statistics()).isEqualTo(new Channel.Statistics(1, 1, 2, 0, Channel.State.OPEN));
        });
    }

    @Test
    void statisticsRecordWaitingReceiversAndCapacities() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Weft.spawn(ch::receive);
            Weft.yield();
            assertThat(ch.statistics()).isEqualTo(new Channel.Statistics(0, 0, 0, 1, Channel.State.OPEN));
            assertThat(Channel.<String>conflated().statistics().capacity()).isEqualTo(1);
            ch.send("a");
        });
    }

    @Test
    void statisticsRecordTheState() {
        Loops.virtual(() -> {
            Channel<String> done = Channel.buffered(3);
            done.send("a");
            done.close();
            assertThat(done.statistics()).isEqualTo(new Channel.Statistics(1, 3, 0, 0, Channel.State.DONE));
            Channel<String> failed = Channel.buffered(3);
            failed.send("a");
            failed.fail(new IOException("boom"));
            assertThat(failed.statistics()).isEqualTo(new Channel.Statistics(0, 3, 0, 0, Channel.State.FAILED));
        });
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose
    void aNullItemIsRejected() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.unlimited();
            assertThatThrownBy(() -> ch.send(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.trySend(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ch.onSend(null, () -> "x")).isInstanceOf(NullPointerException.class);
            assertThat(ch.statistics().size()).isZero();
        });
    }

    @Test
    void aBufferedChannelWithoutCapacityIsRejected() {
        assertThatThrownBy(() -> Channel.buffered(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rendezvous");
        assertThatThrownBy(() -> Channel.buffered(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChannelUsedFromAThreadThatIsNotATaskFails() {
        Channel<String> ch = Channel.unlimited();
        assertThatThrownBy(() -> ch.trySend("a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be called from a task");
    }

    // ---------------------------------------------------------------- cancellation and timeouts: receive

    @Test
    void aCancelledReceiverTakesNoItemAndTheNextReceiverGetsIt() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<String> first = Weft.spawn(ch::receive);
            Task<String> second = Weft.spawn(ch::receive);
            Weft.yield();
            first.cancel();
            ch.send("x"); // the first receiver was woken by its cancellation but has not run yet
            assertThatThrownBy(() -> Weft.await(first)).isInstanceOf(TaskCancelledException.class);
            assertThat(Weft.await(second)).isEqualTo("x");
        });
    }

    @Test
    void aReceiverThatTimedOutTakesNoItem() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            assertThatThrownBy(() -> Weft.withTimeout(SECOND, ch::receive))
                    .isInstanceOf(DeadlineExceededException.class);
            assertThat(Weft.nanoTime()).isEqualTo(SECOND.toNanos());
            assertThat(ch.trySend("x")).isFalse();
            assertThat(ch.statistics().receiversWaiting()).isZero();
        });
    }

    @Test
    void aReceiveOrClosedThatTimedOutTakesNoItem() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(1);
            assertThatThrownBy(() -> Weft.withTimeout(SECOND, ch::receiveOrClosed))
                    .isInstanceOf(DeadlineExceededException.class);
            ch.send("x");
            assertThat(ch.statistics().size()).isEqualTo(1);
        });
    }

    @Test
    void aReceiverCancelledAfterAnItemWasReservedForItTakesNothingAndTheNextReceiverGetsIt() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<String> first = Weft.spawn(ch::receive);
            Task<String> second = Weft.spawn(ch::receive);
            Weft.yield();
            ch.send("x"); // reserved for first, which has not run yet
            first.cancel();
            assertThatThrownBy(() -> Weft.await(first)).isInstanceOf(TaskCancelledException.class);
            assertThat(Weft.await(second)).isEqualTo("x");
            assertThat(ch.statistics().size()).isZero();
        });
    }

    @Test
    void aReceiverWhoseTimeoutExpiresAfterAnItemWasReservedForItTimesOutAndTheItemStays() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Timeout[] scope = new Timeout[1];
            Task<String> receiver = Weft.spawn(() -> {
                try (Timeout t = Weft.timeout(Duration.ofHours(1))) {
                    scope[0] = t;
                    return ch.receive();
                }
            });
            Weft.yield();
            ch.send("x");
            scope[0].rescheduleAt(Deadline.after(Duration.ZERO)); // expires now, after the reservation
            assertThatThrownBy(() -> Weft.await(receiver)).hasCauseInstanceOf(DeadlineExceededException.class);
            assertThat(ch.tryReceive()).contains("x");
        });
    }

    @Test
    void aCancelledReceiverDoesNotBlockTheReceiversBehindIt() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<String> first = Weft.spawn(ch::receive);
            Task<String> second = Weft.spawn(ch::receive);
            Weft.yield();
            first.cancel();
            Weft.yield(); // the cancelled receiver runs and leaves
            assertThat(ch.statistics().receiversWaiting()).isEqualTo(1);
            assertThat(ch.trySend("x")).isTrue();
            assertThat(Weft.await(second)).isEqualTo("x");
        });
    }

    @Test
    void anAlreadyCancelledTaskCannotReceiveAnItemThatIsThere() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(1);
            ch.send("x");
            Task<String> receiver = Weft.spawn(() -> {
                Weft.currentTask().cancel();
                return ch.receive();
            });
            assertThatThrownBy(() -> Weft.await(receiver)).isInstanceOf(TaskCancelledException.class);
            assertThat(ch.tryReceive()).contains("x");
        });
    }

    // ---------------------------------------------------------------- cancellation and timeouts: send

    @Test
    void aCancelledSendersItemIsNeverReceived() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<Void> sender = Weft.spawn(() -> ch.send("a"));
            Weft.yield();
            sender.cancel();
            assertThat(ch.tryReceive()).isEmpty(); // the sender was woken by its cancellation, not yet run
            assertThatThrownBy(() -> Weft.await(sender)).isInstanceOf(TaskCancelledException.class);
            assertThat(ch.tryReceive()).isEmpty();
            assertThat(ch.statistics().sendersWaiting()).isZero();
        });
    }

    @Test
    void aCancelledBufferedSendersItemIsNotMovedInWhenASlotFrees() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.buffered(1);
            ch.send("a");
            Task<Void> sender = Weft.spawn(() -> ch.send("b"));
            Weft.yield();
            sender.cancel();
            assertThat(ch.receive()).isEqualTo("a");
            assertThatThrownBy(() -> Weft.await(sender)).isInstanceOf(TaskCancelledException.class);
            assertThat(ch.tryReceive()).isEmpty();
        });
    }

    @Test
    void aSenderThatTimedOutHasNotSentItsItem() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            assertThatThrownBy(() -> Weft.withTimeout(SECOND, () -> ch.send("a")))
                    .isInstanceOf(DeadlineExceededException.class);
            assertThat(Weft.nanoTime()).isEqualTo(SECOND.toNanos());
            assertThat(ch.tryReceive()).isEmpty();
            assertThat(ch.statistics().sendersWaiting()).isZero();
        });
    }

    @Test
    void aCancelledSenderDoesNotBlockTheSendersBehindIt() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<Void> first = Weft.spawn(() -> ch.send("a"));
            Task<Void> second = Weft.spawn(() -> ch.send("b"));
            Weft.yield();
            first.cancel();
            assertThat(ch.receive()).isEqualTo("b");
            Weft.await(second);
            assertThat(first.isDone()).isTrue();
        });
    }

    @Test
    void aSenderWhoseItemWasTakenThenCancelledReturnsNormallyAndIsCancelledAtItsNextSuspensionPoint() {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Channel<String> ch = Channel.rendezvous();
            Task<Void> sender = Weft.spawn(() -> {
                ch.send("a");
                log.add("send returned");
                Weft.yield();
                log.add("not reached");
            });
            Weft.yield();
            assertThat(ch.receive()).isEqualTo("a");
            sender.cancel();
            assertThatThrownBy(() -> Weft.await(sender)).isInstanceOf(TaskCancelledException.class);
            assertThat(log).containsExactly("send returned");
        });
    }

    @Test
    void anAlreadyCancelledTaskCannotSendEvenWhenThereIsRoom() {
        Loops.virtual(() -> {
            Channel<String> ch = Channel.unlimited();
            Task<Void> sender = Weft.spawn(() -> {
                Weft.currentTask().cancel();
                ch.send("x");
            });
            assertThatThrownBy(() -> Weft.await(sender)).isInstanceOf(TaskCancelledException.class);
            assertThat(ch.tryReceive()).isEmpty();
        });
    }
}
