package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTest {
    private final Event event = new Event();
    private final List<String> log = new ArrayList<>();

    private Task<Void> awaitAndLog(String name) {
        return Weft.spawn(name, () -> {
            event.await();
            log.add(name);
        });
    }

    @Test
    void awaitReturnsOnlyOnceTheEventIsSet() {
        Loops.virtual(() -> {
            Task<Void> waiter = awaitAndLog("waiter");
            Weft.sleep(Duration.ofSeconds(1));
            assertThat(waiter.isDone()).isFalse();
            event.set();
            Weft.await(waiter);
            assertThat(event.isSet()).isTrue();
        });
        assertThat(log).containsExactly("waiter");
    }

    @Test
    void setWakesEveryWaiterInArrivalOrder() {
        Loops.virtual(() -> {
            List<Task<Void>> waiters = List.of(awaitAndLog("a"), awaitAndLog("b"), awaitAndLog("c"));
            Weft.yield();
            event.set();
            assertThat(event.statistics().waiting()).isZero();
            waiters.forEach(Weft::await);
        });
        assertThat(log).containsExactly("a", "b", "c");
    }

    @Test
    void awaitOnAnEventAlreadySetReturnsAtOnce() {
        Loops.virtual(() -> {
            event.set();
            event.await(); // nothing else could set it: a wait here would be reported as a deadlock
            log.add("returned");
            assertThat(Weft.nanoTime()).isZero();
        });
        assertThat(log).containsExactly("returned");
    }

    @Test
    void clearMakesLaterAwaitsWaitForTheNextSet() {
        Loops.virtual(() -> {
            event.set();
            event.clear();
            assertThat(event.isSet()).isFalse();
            Task<Void> waiter = awaitAndLog("waiter");
            Weft.yield();
            assertThat(event.statistics().waiting()).isEqualTo(1);
            event.set();
            Weft.await(waiter);
        });
        assertThat(log).containsExactly("waiter");
    }

    @Test
    void aWaiterWokenBySetReturnsEvenIfTheEventIsClearedBeforeItRuns() {
        Loops.virtual(() -> {
            Task<Void> waiter = awaitAndLog("waiter");
            Weft.yield();
            event.set();
            event.clear();
            Weft.await(waiter); // a lost wake-up would be reported as a deadlock
        });
        assertThat(log).containsExactly("waiter");
    }

    @Test
    void aWaiterCancelledWhileWaitingStopsWaiting() {
        Loops.virtual(() -> {
            Task<Void> waiter = awaitAndLog("waiter");
            Weft.yield();
            waiter.cancel();
            assertThatThrownBy(() -> Weft.await(waiter)).isInstanceOf(TaskCancelledException.class);
            assertThat(event.statistics()).isEqualTo(new Event.Statistics(false, 0));
        });
        assertThat(log).isEmpty();
    }

    @Test
    void aTimeoutEndsTheWaitAtItsDeadline() {
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Weft.withTimeout(Duration.ofSeconds(1), () -> event.await()))
                    .isInstanceOf(DeadlineExceededException.class);
            assertThat(Weft.nanoTime()).isEqualTo(Duration.ofSeconds(1).toNanos());
            assertThat(event.statistics().waiting()).isZero();
        });
    }

    @Test
    void awaitingASetEventInACancelledTaskThrows() {
        Loops.virtual(() -> {
            event.set();
            Task<Void> t = Weft.spawn(() -> {
                Weft.currentTask().cancel();
                event.await();
                log.add("returned");
            });
            assertThatThrownBy(() -> Weft.await(t)).isInstanceOf(TaskCancelledException.class);
        });
        assertThat(log).isEmpty();
    }

    @Test
    void setIsIdempotentAndStatisticsShowTheFlagAndTheWaiters() {
        Loops.virtual(() -> {
            assertThat(event.statistics()).isEqualTo(new Event.Statistics(false, 0));
            Task<Void> a = awaitAndLog("a");
            Task<Void> b = awaitAndLog("b");
            Weft.yield();
            assertThat(event.statistics()).isEqualTo(new Event.Statistics(false, 2));
            event.set();
            event.set();
            assertThat(event.statistics()).isEqualTo(new Event.Statistics(true, 0));
            Weft.await(a);
            Weft.await(b);
        });
        assertThat(log).containsExactly("a", "b");
    }
}
