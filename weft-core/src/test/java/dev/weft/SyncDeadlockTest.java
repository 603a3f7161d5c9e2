package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Waiting on a primitive is a wait the loop can see: a cycle is a reported deadlock, not a hang. */
class SyncDeadlockTest {

    @Test
    void twoTasksTakingTwoLocksInOppositeOrderAreReportedWithWhoHoldsWhat() {
        assertThatThrownBy(() -> Loops.virtual(() -> {
            Lock first = new Lock();
            Lock second = new Lock();
            Task<Void> a = Weft.spawn("a", () -> {
                first.acquire();
                Weft.yield();
                second.acquire();
            });
            Task<Void> b = Weft.spawn("b", () -> {
                second.acquire();
                Weft.yield();
                first.acquire();
            });
            Weft.await(a);
            Weft.await(b);
        })).isInstanceOf(DeadlockException.class)
                .hasMessageContaining("task 'a' waits for Lock@")
                .hasMessageContaining("(held by task 'b')")
                .hasMessageContaining("task 'b' waits for Lock@")
                .hasMessageContaining("(held by task 'a')");
    }

    @Test
    void aGetterOfAQueueNobodyPutsToIsADeadlockNamingTheQueue() {
        assertThatThrownBy(() -> Loops.virtual(() -> {
            Queue<String> q = Queue.fifo(1);
            return q.get();
        })).isInstanceOf(DeadlockException.class).hasMessageContaining("task 'main' waits for FIFO Queue@");
    }

    @Test
    void aSelectWithATimeoutIsNotADeadlock() {
        String r = Loops.virtual(() -> Select.select(Channel.<String>rendezvous().onReceive(s -> s),
                Select.onTimeout(java.time.Duration.ofHours(1), () -> "timed out")));
        assertThat(r).isEqualTo("timed out");
    }
}
