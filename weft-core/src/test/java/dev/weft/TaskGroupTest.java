package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskGroupTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private final Reports reports = new Reports();

    @Test
    void joinWaitsForEveryChild() {
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                Task<Integer> a = g.spawn("a", () -> {
                    Weft.sleep(SECOND);
                    return 1;
                });
                Task<Integer> b = g.spawn("b", () -> {
                    Weft.sleep(Duration.ofSeconds(2));
                    return 2;
                });
                g.join();
                assertThat(a.resultNow() + b.resultNow()).isEqualTo(3);
                assertThat(Weft.nanoTime()).isEqualTo(Duration.ofSeconds(2).toNanos());
            }
        });
    }

    @Test
    void theFirstFailureCancelsTheSiblingsAndTheBlockAndEveryFailureIsKept() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                g.spawn("slow", () -> {
                    try {
                        Weft.sleep(Duration.ofHours(1));
                    } catch (CancelledException e) {
                        log.add("slow cancelled at " + Weft.nanoTime() / 1_000_000_000);
                        throw new IOException("cleanup failed too");
                    }
                });
                g.spawn("bad", () -> {
                    Weft.sleep(SECOND);
                    throw new IllegalStateException("bad input");
                });
                Weft.sleep(Duration.ofHours(1)); // the block is cancelled here
                log.add("not reached");
            } catch (TaskFailedException e) {
                log.add(e.taskName() + ": " + e.getCause().getMessage());
                Arrays.stream(e.getSuppressed()).map(s -> ((TaskFailedException) s).taskName() + ": "
                        + s.getCause().getMessage()).forEach(log::add);
            }
        });
        assertThat(log).containsExactly("slow cancelled at 1", "bad: bad input", "slow: cleanup failed too");
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void joinThrowsTheFailureAfterEveryChildEnded() {
        reports.run(() -> {
            TaskGroup g = TaskGroup.open();
            Task<Void> cleanup;
            try (g) {
                cleanup = g.spawn("cleanup", () -> {
                    try {
                        Weft.sleep(Duration.ofHours(1));
                    } finally {
                        Weft.shielded(() -> Weft.sleep(SECOND));
                    }
                });
                g.spawn("bad", () -> {
                    throw new IllegalArgumentException("x");
                });
                g.join();
                throw new AssertionError("join returned");
            } catch (TaskFailedException e) {
                assertThat(e.taskName()).isEqualTo("bad");
                assertThat(Weft.nanoTime()).isEqualTo(SECOND.toNanos());
            }
        });
    }

    @Test
    void cancellingTheParentCancelsTheChildren() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            Task<Void> parent = Weft.spawn("parent", () -> {
                try (TaskGroup g = TaskGroup.open()) {
                    for (int i = 0; i < 3; i++) {
                        int n = i;
                        g.spawn("child-" + i, () -> {
                            try {
                                Weft.sleep(Duration.ofHours(1));
                            } finally {
                                log.add("child-" + n + " ended");
                            }
                        });
                    }
                    g.join();
                }
            });
            Weft.sleep(SECOND);
            parent.cancel("shutting down");
            assertThatThrownBy(() -> Weft.await(parent)).isInstanceOf(TaskCancelledException.class)
                    .cause().isInstanceOf(CancelledException.class).hasMessage("shutting down");
        });
        assertThat(log).containsExactlyInAnyOrder("child-0 ended", "child-1 ended", "child-2 ended");
    }

    @Test
    void aSupervisorKeepsSiblingsRunningAndReportsFailuresNobodyObserved() {
        reports.run(() -> {
            Task<String> ok;
            try (TaskGroup g = TaskGroup.supervisor()) {
                g.spawn("doomed", () -> {
                    throw new IllegalStateException("doomed");
                });
                Task<Object> watched = g.spawn("watched", () -> {
                    throw new IllegalStateException("watched");
                });
                ok = g.spawn("ok", () -> {
                    Weft.sleep(SECOND);
                    return "fine";
                });
                g.join();
                assertThat(watched.outcome()).isInstanceOf(Outcome.Failure.class);
            }
            assertThat(ok.resultNow()).isEqualTo("fine");
        });
        assertThat(reports.messages()).singleElement().asString().contains("task 'doomed' failed and nobody observed");
    }

    @Test
    void cancelCancelsTheChildrenOnlyAndJoinReturns() {
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                Task<Void> a = g.spawn(() -> Weft.sleep(Duration.ofHours(1)));
                Weft.yield();
                g.cancel();
                g.join();
                assertThat(a.isCancelled()).isTrue();
                Weft.sleep(SECOND); // the block itself was not cancelled
            }
        });
    }

    @Test
    void endingTheBlockWithoutJoinCancelsTheChildrenAndSaysSo() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            assertThatThrownBy(() -> {
                try (TaskGroup g = TaskGroup.open()) {
                    g.spawn(() -> {
                        try {
                            Weft.sleep(Duration.ofHours(1));
                        } finally {
                            log.add("child ended at " + Weft.nanoTime());
                        }
                    });
                    Weft.yield(); // the child starts, then the block ends without join()
                }
            }).isInstanceOf(IllegalStateException.class).hasMessageContaining("End the block with join()");
        });
        assertThat(log).containsExactly("child ended at 0");
    }

    @Test
    void aBlockThatThrowsGetsTheCancelledChildrenFailuresAttached() {
        reports.run(() -> {
            IllegalStateException mine = new IllegalStateException("the block's own failure");
            assertThatThrownBy(() -> TaskGroup.scoped(g -> {
                g.spawn("child", () -> {
                    try {
                        Weft.sleep(Duration.ofHours(1));
                    } finally {
                        throw new IOException("child cleanup");
                    }
                });
                Weft.yield();
                throw mine;
            })).isSameAs(mine).satisfies(e -> {
                assertThat(e.getSuppressed()).hasSize(1);
                assertThat(e.getSuppressed()[0]).isInstanceOf(TaskFailedException.class)
                        .hasRootCauseMessage("child cleanup");
            });
        });
    }

    @Test
    void scopedJoinsAndReturnsTheBodysValue() {
        int sum = reports.run(() -> TaskGroup.scoped(g -> {
            Task<Integer> a = g.spawn(() -> 20);
            Task<Integer> b = g.spawn(() -> 22);
            return List.of(a, b);
        }).stream().mapToInt(Task::resultNow).sum());
        assertThat(sum).isEqualTo(42);
    }

    @Test
    void spawningIntoAClosedGroupIsAnError() {
        reports.run(() -> {
            TaskGroup g = TaskGroup.open();
            g.join();
            g.close();
            assertThatThrownBy(() -> g.spawn(() -> 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("task group is closed");
        });
    }

    @Test
    void childrenMaySpawnSiblingsAndNestedGroupsPropagateFailures() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            assertThatThrownBy(() -> {
                try (TaskGroup outer = TaskGroup.open()) {
                    outer.spawn("spawner", () -> {
                        outer.spawn("sibling", () -> log.add("sibling ran"));
                        try (TaskGroup inner = TaskGroup.open()) {
                            inner.spawn("deep", () -> {
                                throw new IllegalStateException("deep failure");
                            });
                            inner.join();
                        }
                    });
                    outer.join();
                }
            }).isInstanceOfSatisfying(TaskFailedException.class, e -> {
                assertThat(e.taskName()).isEqualTo("spawner");
                assertThat(e.getCause()).isInstanceOfSatisfying(TaskFailedException.class,
                        deep -> assertThat(deep.taskName()).isEqualTo("deep"));
            });
        });
        assertThat(log).containsExactly("sibling ran");
    }

    @Test
    void joinAndCloseBelongToTheTaskThatOpenedTheGroup() {
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                g.spawn("intruder", () -> g.join());
                assertThatThrownBy(g::join).isInstanceOf(TaskFailedException.class)
                        .hasRootCauseMessage("TaskGroup.join must be called by the task that opened the group (task 'main')");
            }
        });
    }
}
