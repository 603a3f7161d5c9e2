package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import java.net.InetAddress;

/** {@link TaskGroup#start}: the cases of trio's {@code test_nursery_start*}, in Weft's API. */
class TaskGroupStartTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private final Reports reports = new Reports();

    /** trio's sleep_then_start: sleeps, reports how long, sleeps as long again. */
    private static TaskGroup.StartBody<Integer, RuntimeException> sleepThenStart(int seconds) {
        return status -> {
            Weft.sleep(Duration.ofSeconds(seconds));
            status.started(seconds);
            Weft.sleep(Duration.ofSeconds(seconds));
        };
    }

    @Test
    void startWaitsForTheReportReturnsItsValueAndTheGroupThenWaitsForTheChild() {
        reports.run(() -> {
            for (int seconds : new int[] {1, 2}) {
                long t0 = Weft.nanoTime();
                try (TaskGroup g = TaskGroup.open()) {
                    assertThat(g.children()).isEmpty();
                    assertThat(g.start(sleepThenStart(seconds))).isEqualTo(seconds);
                    assertThat(Weft.nanoTime() - t0).isEqualTo(Duration.ofSeconds(seconds).toNanos());
                    assertThat(g.children()).hasSize(1);
                    g.join();
                }
                assertThat(Weft.nanoTime() - t0).isEqualTo(Duration.ofSeconds(2L * seconds).toNanos());
            }
        });
    }

    @Test
    void reportingTwiceIsAnError() {
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                g.start(status -> {
                    status.started();
                    assertThatThrownBy(status::started).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("already reported");
                });
                g.join();
            }
        });
    }

    @Test
    void aChildThatFailsBeforeReportingFailsStartAndNotTheGroup() {
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                Task<Void> sibling = g.spawn("sibling", () -> Weft.sleep(SECOND));
                assertThatThrownBy(() -> g.start("crasher", status -> {
                    throw new IllegalArgumentException("oops");
                })).isInstanceOf(TaskFailedException.class).hasMessageContaining("crasher")
                        .hasCauseInstanceOf(IllegalArgumentException.class);
                g.join(); // the sibling was not cancelled
                assertThat(sibling.isCancelled()).isFalse();
            }
        });
        assertThat(reports.all()).as("start observed the failure").isEmpty();
    }

    @Test
    void aChildThatEndsWithoutReportingIsAnError() {
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                assertThatThrownBy(() -> g.start("quiet", status -> {})).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("ended without calling started()");
                g.join();
            }
        });
    }

    @Test
    void startInACancelledScopeThrowsAtOnceWithoutStartingTheChild() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                CancelScope cs = CancelScope.create();
                cs.run(() -> {
                    cs.cancel();
                    g.start("justStarted", status -> {
                        log.add("child ran");
                        status.started("hi");
                    });
                    log.add("not reached");
                });
                assertThat(cs.cancelledCaught()).isTrue();
                assertThat(g.children()).isEmpty();
                g.join();
            }
        });
        assertThat(log).as("start is a cancellation point before it spawns (trio runs the child)").isEmpty();
    }

    @Test
    void aStartCancelledWhileTheChildRunsWaitsForTheChildAndTheChildsReportDoesNotMoveIt() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                CancelScope cs = CancelScope.create();
                cs.reschedule(SECOND);
                cs.run(() -> g.start("slowStarter", status -> {
                    try {
                        Weft.sleep(Duration.ofSeconds(5));
                    } finally {
                        status.started("too late"); // start() was cancelled: a no-op
                        log.add("reported at " + Weft.nanoTime() / 1_000_000_000);
                        try (Shield _ = Weft.shield()) {
                            Weft.sleep(SECOND); // start() waits for this
                        }
                    }
                }));
                log.add("start ended at " + Weft.nanoTime() / 1_000_000_000);
                assertThat(cs.cancelledCaught()).isTrue();
                assertThat(g.children()).isEmpty();
                g.join();
            }
        });
        assertThat(log).containsExactly("reported at 1", "start ended at 2");
    }

    @Test
    void aChildThatCrashesAfterReportingIntoACancelledStartFailsStart() {
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                CancelScope cs = CancelScope.create();
                cs.run(() -> assertThatThrownBy(() -> g.start("crashAfterStarted", status -> {
                    cs.cancel(); // the start is cancelled while the child runs
                    status.started(); // so this does not move it: its failure is still start's
                    throw new IllegalStateException("whoopsiedaisy");
                })).isInstanceOf(TaskFailedException.class).hasMessageContaining("whoopsiedaisy"));
                assertThat(cs.cancelledCaught()).isFalse();
                g.join();
            }
        });
    }

    @Test
    void startingInAClosedGroupFailsAtOnce() {
        reports.run(() -> {
            TaskGroup g = TaskGroup.open();
            g.join();
            g.close();
            assertThatThrownBy(() -> g.start(sleepThenStart(7))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThat(Weft.nanoTime()).isZero();
        });
    }

    @Test
    void aPendingStartKeepsTheGroupOpenAndItsChildJoinsItWhenItReports() { // trio's ..._keeps_nursery_open
        reports.run(() -> {
            long t0 = Weft.nanoTime();
            try (TaskGroup outer = TaskGroup.open()) {
                try (TaskGroup inner = TaskGroup.open()) {
                    TaskGroup.StartBody<Void, RuntimeException> sleepABit = status -> {
                        Weft.sleep(Duration.ofSeconds(2));
                        status.started();
                        Weft.sleep(Duration.ofSeconds(3));
                    };
                    outer.spawn(() -> inner.start(sleepABit));
                    Weft.sleep(SECOND);
                    outer.spawn(() -> inner.start(sleepABit));
                    inner.join(); // no child yet: only the pending starts keep it open
                }
                assertThat(Weft.nanoTime() - t0).isEqualTo(Duration.ofSeconds(6).toNanos());
                outer.join();
            }
        });
    }

    @Test
    void aPendingStartWhoseChildCrashesLetsTheGroupEndWhenItFails() {
        reports.run(() -> {
            long t0 = Weft.nanoTime();
            try (TaskGroup outer = TaskGroup.open()) {
                try (TaskGroup inner = TaskGroup.open()) {
                    outer.spawn(() -> assertThatThrownBy(() -> inner.start(status -> {
                        Weft.sleep(Duration.ofSeconds(7));
                        throw new IllegalStateException("crash");
                    })).isInstanceOf(TaskFailedException.class));
                    Testing.waitAllTasksBlocked();
                    inner.join();
                }
                assertThat(Weft.nanoTime() - t0).isEqualTo(Duration.ofSeconds(7).toNanos());
                outer.join();
            }
        });
    }

    @Test
    void aChildMovedIntoACancelledGroupIsCancelledThereWithTheTasksItWaitsOn() { // trio's ..._with_cancelled_nursery
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            try (TaskGroup outer = TaskGroup.open()) {
                TaskGroup.StartBody<TaskGroup, RuntimeException> setup = status -> { // a group main is not inside
                    try (TaskGroup g = TaskGroup.open()) {
                        status.started(g);
                        Weft.sleep(Duration.ofHours(1));
                        g.join();
                    }
                };
                TaskGroup target = outer.start("setup", setup);
                target.start("sleepingChildren", status -> {
                    try (TaskGroup own = TaskGroup.open()) {
                        for (String name : List.of("a", "b")) {
                            own.spawn(name, () -> {
                                try {
                                    Weft.sleep(Duration.ofHours(1));
                                } catch (CancelledException e) {
                                    log.add(name + " cancelled");
                                    throw e;
                                }
                            });
                        }
                        Testing.waitAllTasksBlocked();
                        target.cancel(); // just before the report: the move lands in a cancelled group
                        status.started();
                        own.join();
                    }
                });
                TaskGroup target2 = outer.start("setup2", setup);
                target2.start("sleeper", status -> {
                    Weft.spawn("reporter", () -> { // reports for it while it sleeps
                        Testing.waitAllTasksBlocked();
                        target2.cancel();
                        status.started();
                    });
                    try {
                        Weft.sleep(Duration.ofHours(1));
                    } catch (CancelledException e) {
                        log.add("sleeper cancelled at " + Weft.nanoTime());
                        throw e;
                    }
                });
                outer.cancel();
                outer.join();
            }
        });
        assertThat(log).containsExactlyInAnyOrder("a cancelled", "b cancelled", "sleeper cancelled at 0");
    }

    @Test
    void aServerReportsItsBoundPortAndServesUntilTheGroupIsCancelled() throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().build()) {
            String reply = loop.run(() -> {
                try (TaskGroup g = TaskGroup.open()) {
                    int port = g.start("server", status -> {
                        try (TcpServer server = TcpServer.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10, c -> {
                            c.write("hello\n");
                            c.flush();
                        })) {
                            status.started(server.port());
                            Weft.sleep(Duration.ofHours(1));
                        }
                    });
                    String got;
                    try (TcpConnection c = TcpConnection.connect("127.0.0.1", port)) {
                        got = c.readLine(100).orElseThrow();
                    }
                    g.cancel();
                    g.join();
                    return got;
                }
            });
            assertThat(reply).isEqualTo("hello");
        }
    }

    @Test
    void theGroupsOwnFailureIsNotLostWhenTheStartingChildFailsToo() { // review: start replaced it
        reports.run(() -> assertThatThrownBy(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                g.spawn("a", () -> {
                    Weft.sleep(SECOND);
                    throw new IllegalStateException("A FAILED");
                });
                g.start("b", status -> {
                    try {
                        Weft.sleep(Duration.ofHours(1));
                    } catch (CancelledException e) {
                        throw new IllegalStateException("b's cleanup failed");
                    }
                });
                g.join();
            }
        }).isInstanceOf(TaskFailedException.class).hasMessageContaining("A FAILED")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement().asString().contains("b's cleanup failed")));
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void startInAFailedGroupThrowsTheGroupsFailure() {
        reports.run(() -> assertThatThrownBy(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                g.spawn("bad", () -> {
                    throw new IllegalStateException("bad");
                });
                Weft.yield(); // bad fails: the group is shutting down
                g.start(status -> status.started());
            }
        }).isInstanceOf(TaskFailedException.class).hasMessageContaining("bad"));
    }

    @Test
    void aReportAfterTheChildEndedIsAnErrorAndTheGroupStillEnds() { // review: it made pending never reach 0
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                List<Throwable> late = new ArrayList<>();
                assertThatThrownBy(() -> g.start("child", status -> Weft.spawn("late", () -> {
                    try {
                        status.started("late");
                    } catch (IllegalStateException e) {
                        late.add(e);
                    }
                }))).isInstanceOf(IllegalStateException.class).hasMessageContaining("without calling started()");
                Weft.yield();
                assertThat(late).singleElement().asString().contains("is over");
                assertThat(g.children()).isEmpty();
                g.join();
            }
        });
    }

    @Test
    void aReportAfterStartReturnedDoesNotWakeTheCallerElsewhere() { // review: it ended an unrelated wait
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                List<TaskGroup.TaskStatus<String>> kept = new ArrayList<>();
                g.<String>start("child", status -> {
                    kept.add(status);
                    status.started("ready");
                    Weft.sleep(Duration.ofHours(1));
                });
                Task<Void> late = Weft.spawn(() -> {
                    Weft.sleep(SECOND);
                    assertThatThrownBy(() -> kept.get(0).started("again")).isInstanceOf(IllegalStateException.class);
                });
                Weft.sleep(Duration.ofSeconds(5));
                Weft.await(late); // its assertion counts
                assertThat(Weft.nanoTime()).isEqualTo(Duration.ofSeconds(5).toNanos());
                g.cancel();
                g.join();
            }
        });
    }
}
