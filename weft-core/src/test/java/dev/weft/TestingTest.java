package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import java.net.InetAddress;

/** {@link Testing}: the cases of trio's {@code test_testing.py} for its helpers, in Weft's API. */
class TestingTest {
    private final List<String> record = new ArrayList<>();

    private static <X extends Throwable> void virtual(Action<X> main) throws X {
        try (Loop loop = Loop.builder().virtualClock().noStallWatchdog().build()) {
            loop.run(main);
        }
    }

    @Test
    void waitAllTasksBlockedReturnsOnceTheBusyTaskIsDone() { // test_wait_all_tasks_blocked
        virtual(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                g.spawn("busyBee", () -> {
                    for (int i = 0; i < 10; i++) {
                        Weft.yield();
                    }
                    record.add("busy bee exhausted");
                });
                for (int i = 0; i < 2; i++) {
                    g.spawn(() -> {
                        Testing.waitAllTasksBlocked();
                        record.add("quiet at last!");
                    });
                }
                g.join();
            }
        });
        assertThat(record).containsExactly("busy bee exhausted", "quiet at last!", "quiet at last!");
    }

    @Test
    void aTaskWaitingForTheOthersToBlockCanBeCancelled() {
        virtual(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                g.spawn(() -> {
                    try {
                        Testing.waitAllTasksBlocked();
                    } catch (CancelledException e) {
                        record.add("ok");
                        throw e;
                    }
                });
                Weft.yield();
                g.cancel();
                g.join();
            }
        });
        assertThat(record).containsExactly("ok");
    }

    @Test
    void tasksWaitingForTimeCountAsBlockedAndTheVirtualClockDoesNotJumpMeanwhile() { // ..._with_timeouts
        virtual(() -> {
            Task<Void> timeoutTask = Weft.spawn(() -> {
                record.add("tt start");
                Weft.sleep(Duration.ofSeconds(5));
                record.add("tt finished");
            });
            Testing.waitAllTasksBlocked();
            assertThat(record).containsExactly("tt start");
            assertThat(Weft.nanoTime()).isZero();
            Weft.sleep(Duration.ofSeconds(10));
            Testing.waitAllTasksBlocked();
            assertThat(record).containsExactly("tt start", "tt finished");
            Weft.await(timeoutTask);
        });
    }

    @Test
    void aTaskBlockedInAnotherThreadCountsAsBlocked() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        virtual(() -> {
            Task<Void> blocked = Weft.spawn(() -> Weft.toThread(() -> {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            }));
            Testing.waitAllTasksBlocked();
            assertThat(blocked.state()).isEqualTo(Task.State.SUSPENDED);
            release.countDown();
            Weft.await(blocked);
        });
    }

    @Test
    void aTaskWaitingForDataCountsAsBlockedUntilTheDataIsThere() throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().build()) {
            loop.run(() -> {
                try (TcpServer server = TcpServer.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10, c -> {
                    String line = c.readLine(100).orElseThrow();
                    c.write(line + "!\n");
                    c.flush();
                }); TcpConnection c = TcpConnection.connect("127.0.0.1", server.port())) {
                    Task<String> reader = Weft.spawn(() -> c.readLine(100).orElseThrow());
                    Testing.waitAllTasksBlocked();
                    assertThat(reader.state()).isEqualTo(Task.State.SUSPENDED);
                    c.write("ping\n");
                    c.flush();
                    assertThat(Weft.await(reader)).isEqualTo("ping!");
                }
            });
        }
    }

    @Test
    void aDeadlockIsStillReportedWhenNobodyWaitsForTheOthersToBlock() {
        Lock lock = new Lock();
        assertThatThrownBy(() -> virtual(() -> {
            lock.acquire();
            Task<Void> waiter = Weft.spawn("waiter", lock::acquire);
            Testing.waitAllTasksBlocked(); // woken, though nothing else could wake anyone
            assertThat(waiter.state()).isEqualTo(Task.State.SUSPENDED);
            new Event().await(); // now a real deadlock
        })).isInstanceOf(DeadlockException.class);
    }

    @Test
    void assertCheckpointsPassesForABlockThatYieldsAndFailsForOneThatDoesNot() { // test_assert_checkpoints
        virtual(() -> {
            Testing.assertCheckpoints(Weft::yield);
            Testing.assertCheckpoints(() -> Weft.sleep(Duration.ZERO));
            assertThat(Testing.assertCheckpoints(() -> {
                Weft.sleep(Duration.ofSeconds(1));
                return 42;
            })).isEqualTo(42);
            assertThatThrownBy(() -> Testing.assertCheckpoints(() -> record.add("no checkpoint")))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("passed no checkpoint");
            Lock free = new Lock();
            assertThatThrownBy(() -> Testing.assertCheckpoints(free::acquire)) // a cancellation point only
                    .isInstanceOf(AssertionError.class).hasMessageContaining("1 cancellation point(s), 0 schedule");
            free.release();
            assertThatThrownBy(() -> Testing.assertCheckpoints(() -> {
                throw new IllegalStateException("the block's own exception");
            })).isInstanceOf(IllegalStateException.class);
        });
    }

    @Test
    void assertNoCheckpointsFailsForAnyCancellationOrSchedulePoint() { // test_assert_no_checkpoints
        virtual(() -> {
            assertThat(Testing.assertNoCheckpoints(() -> 1 + 1)).isEqualTo(2);
            assertThatThrownBy(() -> Testing.assertNoCheckpoints(Weft::yield)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("passed a checkpoint");
            Lock free = new Lock();
            assertThatThrownBy(() -> Testing.assertNoCheckpoints(free::acquire)).isInstanceOf(AssertionError.class);
            free.release();
            Testing.assertNoCheckpoints(free::tryAcquire);
            assertThatThrownBy(() -> Testing.assertNoCheckpoints(() -> {
                Weft.yield();
                throw new IllegalStateException("the block's own exception");
            })).isInstanceOf(AssertionError.class);
        });
    }

    @Test
    void helpersOutsideATaskSayHowToGetOne() {
        assertThatThrownBy(Testing::waitAllTasksBlocked).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside a task");
        assertThatThrownBy(() -> Testing.assertCheckpoints(() -> {})).isInstanceOf(IllegalStateException.class);
    }
}
