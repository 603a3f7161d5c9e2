package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
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
                log.add(e.taskName() + ": " + Objects.requireNonNull(e.getCause()).getMessage());
                Arrays.stream(e.getSuppressed()).map(s -> ((TaskFailedException) s).taskName() + ": "
                        + Objects.requireNonNull(s.getCause()).getMessage()).forEach(log::add);
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
                        Weft.withShield(() -> Weft.sleep(SECOND));
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
    @ExpectsReports("the supervised child's failure that nobody observes")
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
    void cancelCancelsTheChildrenAndJoinReturnsNormallyAfterWhichTheBlockIsNotCancelled() {
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                Task<Void> a = g.spawn(() -> Weft.sleep(Duration.ofHours(1)));
                Weft.yield();
                g.cancel();
                g.join();
                assertThat(a.isCancelled()).isTrue();
                Weft.sleep(SECOND); // the group is over: as after trio's nursery block, this is not cancelled
                assertThatThrownBy(() -> g.spawn(() -> {})).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("closed");
            }
        });
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void cancelCancelsTheBlockAndChildrenSpawnedAfterwardsWhichNeverRun() { // trio: nursery.cancel_scope.cancel()
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                g.cancel();
                Task<?> late = g.spawn("late", () -> log.add("late ran"));
                assertThatThrownBy(() -> Weft.sleep(SECOND)).isInstanceOf(CancelledException.class)
                        .hasMessageContaining("TaskGroup.cancel()");
                g.join();
                assertThat(late.isCancelled()).isTrue();
            }
            log.add("after the group");
        });
        assertThat(log).containsExactly("after the group");
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void cancelReachesGrandchildrenThroughTheirGroups() { // trio's test_cancel_inheritance
        List<String> record = new ArrayList<>();
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                for (String w : List.of("w1", "w2")) {
                    g.spawn(w, () -> {
                        try (TaskGroup inner = TaskGroup.open()) {
                            for (String l : List.of("-l1", "-l2")) {
                                inner.spawn(w + l, () -> {
                                    try {
                                        Weft.sleep(Duration.ofHours(1));
                                    } catch (CancelledException e) {
                                        record.add(w + l);
                                        throw e;
                                    }
                                });
                            }
                            inner.join();
                        }
                    });
                }
                Testing.waitAllTasksBlocked(); // unlike trio, a task cancelled before its first turn never runs
                g.cancel();
                g.join();
            }
        });
        assertThat(record).containsExactlyInAnyOrder("w1-l1", "w1-l2", "w2-l1", "w2-l2");
    }

    @Test
    void aBlockEndedWithoutJoinAfterCancelClosesQuietly() {
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                g.spawn(() -> Weft.sleep(Duration.ofHours(1)));
                g.cancel(); // and no join: close waits for the cancelled child and does not complain
            }
            assertThat(Weft.nanoTime()).isZero();
        });
        assertThat(reports.all()).isEmpty();
    }

    @Test
    @SuppressWarnings({"Finally", "finally"}) // a cleanup that throws from finally is the case tested
    void aChildFailingAfterTheCancelIsStillTheGroupsFailure() {
        reports.run(() -> {
            assertThatThrownBy(() -> {
                try (TaskGroup g = TaskGroup.open()) {
                    g.spawn("cleanup", () -> {
                        try {
                            Weft.sleep(Duration.ofHours(1));
                        } finally {
                            throw new IllegalStateException("cleanup failed");
                        }
                    });
                    Weft.yield();
                    g.cancel();
                    g.join();
                }
            }).isInstanceOf(TaskFailedException.class).hasMessageContaining("cleanup failed");
        });
    }

    @Test
    void theGroupsCancellationEscapingItsBlockEndsTheTaskCancelled() {
        reports.run(() -> {
            try (TaskGroup parent = TaskGroup.open()) {
                Task<Void> t = parent.spawn("escaper", () -> {
                    try (TaskGroup g = TaskGroup.open()) {
                        g.cancel();
                        Weft.sleep(SECOND); // throws the group's cancellation, which the block cannot catch
                    }
                });
                parent.join(); // a cancelled child is not its group's failure
                assertThat(t.isCancelled()).isTrue();
            }
        });
        assertThat(reports.all()).isEmpty();
    }

    @Test
    void aChildSpawnedJustBeforeItsGroupFailsNeverRuns() {
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                g.spawn("bad", () -> {
                    throw new IllegalStateException("bad");
                });
                g.spawn("late", () -> log.add("late ran"));
                g.join();
            } catch (TaskFailedException e) {
                assertThat(e.taskName()).isEqualTo("bad");
                assertThat(e.getSuppressed()).isEmpty();
            }
        });
        assertThat(log).as("cancelled before its first turn: never ran (asyncio's rule)").isEmpty();
    }

    @Test
    void theTaskTreeCanBeWalkedBothWays() { // trio's test_task_tree_introspection
        reports.run(() -> {
            Task<?> main = Weft.currentTask();
            assertThat(main.parent()).isEmpty();
            assertThat(main.group()).isEmpty();
            assertThat(main.childGroups()).isEmpty();
            try (TaskGroup g1 = TaskGroup.open(); TaskGroup g2 = TaskGroup.open()) {
                assertThat(main.childGroups()).containsExactly(g1, g2);
                assertThat(g1.owner()).isSameAs(main);
                Task<Void> child = g2.spawn("child", () -> {
                    Task<?> self = Weft.currentTask();
                    assertThat(self.parent()).contains(main);
                    assertThat(self.group()).contains(g2);
                    try (TaskGroup g3 = TaskGroup.open()) {
                        Task<Void> grandchild = g3.spawn("grandchild", () -> Weft.sleep(SECOND));
                        assertThat(g3.children()).containsExactly(grandchild);
                        assertThat(grandchild.parent()).contains(self);
                        assertThat(self.childGroups()).containsExactly(g3);
                        g3.join();
                    }
                });
                Task<Void> sibling = g2.spawn("sibling", () -> Weft.sleep(Duration.ofSeconds(2)));
                Task<Void> free = Weft.spawn("free", () -> {});
                assertThat(free.parent()).contains(main);
                assertThat(free.group()).isEmpty();
                assertThat(g2.children()).containsExactly(child, sibling);
                assertThat(g1.children()).isEmpty();
                Weft.yield();
                assertThat(child.state()).isEqualTo(Task.State.SUSPENDED);
                assertThat(child.waitingFor()).hasValueSatisfying(w -> assertThat(w).contains("end of a task group"));
                assertThat(sibling.waitingFor()).hasValueSatisfying(w -> assertThat(w).contains("loop clock"));
                assertThat(main.waitingFor()).isEmpty();
                g2.join();
                assertThat(g2.children()).isEmpty();
                assertThat(child.parent()).as("upward links survive the end").contains(main);
                assertThat(child.id()).isLessThan(sibling.id());
            }
            assertThat(main.id()).isEqualTo(1);
            assertThat(main.childGroups()).isEmpty();
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

    @SuppressWarnings({"Finally", "finally"}) // a cleanup that throws from finally is the case tested
    private static void sleepThenFailInCleanup() throws IOException {
        try {
            Weft.sleep(Duration.ofHours(1));
        } finally {
            throw new IOException("child cleanup");
        }
    }

    @Test
    void aBlockThatThrowsGetsTheCancelledChildrenFailuresAttached() {
        reports.run(() -> {
            IllegalStateException mine = new IllegalStateException("the block's own failure");
            assertThatThrownBy(() -> TaskGroup.scoped(g -> {
                g.spawn("child", TaskGroupTest::sleepThenFailInCleanup);
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

    @Test
    void joinInsideATimeoutAfterCancelAlsoEndsTheGroup() { // review: the group stayed in the chain
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                g.spawn(() -> Weft.sleep(Duration.ofHours(1)));
                g.cancel();
                Weft.withTimeout(Duration.ofSeconds(5), g::join);
                Weft.yield(); // not cancelled: the group is over
                try (Timeout _ = Weft.timeout(SECOND)) {
                    Weft.yield();
                }
                log.add("after join");
            }
        });
        assertThat(log).containsExactly("after join");
    }

    @Test
    void cancelMayBeCalledFromAnotherThread() throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().build()) {
            String how = loop.run(() -> {
                try (TaskGroup g = TaskGroup.open()) {
                    Task<Void> child = g.spawn(() -> Weft.sleep(Duration.ofHours(1)));
                    Testing.waitAllTasksBlocked();
                    Thread.ofPlatform().start(g::cancel); // from another thread, while the block waits in join
                    g.join();
                    return child.isCancelled() ? "cancelled" : "not cancelled";
                }
            });
            assertThat(how).isEqualTo("cancelled");
        }
    }

    @Test
    void aTaskSpawnedByAnotherForgetsItsSpawnerWhenItEnds() { // review: a chain of ended tasks was kept
        reports.run(() -> {
            Task<Task<?>> first = Weft.spawn("first", () -> Weft.spawn("second", () -> Weft.sleep(SECOND)));
            Task<?> second = Weft.await(first);
            assertThat(second.parent()).contains(first);
            Weft.await(second);
            assertThat(second.parent()).isEmpty();
        });
    }

    @Test
    void joinEndsACancelledGroupAlsoWhenTheChildrenEndedBeforeTheCancelReachedIt() { // review: timing-dependent
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            try (TaskGroup g = TaskGroup.open()) {
                g.spawn("child", () -> Weft.sleep(SECOND));
                Weft.spawn("canceller", () -> {
                    Weft.sleep(SECOND); // after the child ended, before the joiner runs again
                    g.cancel();
                });
                g.join();
                Weft.yield();
                log.add("after join");
            }
            try (TaskGroup g = TaskGroup.open()) {
                g.cancel();
                Weft.withShield(g::join); // join in a shield: it sees no cancellation, but the group is over
                Weft.yield();
                log.add("after a shielded join");
            }
        });
        assertThat(log).containsExactly("after join", "after a shielded join");
    }

    @Test
    void joiningAnOuterGroupInsideAnInnerGroupsBlockKeepsTheInnerChildrenCancelled() { // review: un-cancelled
        List<String> log = new ArrayList<>();
        reports.run(() -> {
            try (TaskGroup g1 = TaskGroup.open()) {
                g1.spawn("c1", () -> Weft.sleep(Duration.ofHours(1)));
                try (TaskGroup g2 = TaskGroup.open()) {
                    g2.spawn("c2", () -> {
                        try {
                            Weft.sleep(Duration.ofHours(1));
                        } catch (CancelledException e) {
                            Weft.withShield(() -> Weft.sleep(SECOND));
                            try {
                                Weft.sleep(Duration.ofHours(1));
                            } catch (CancelledException again) {
                                log.add("c2 still cancelled");
                                throw again;
                            }
                        }
                    });
                    Weft.yield();
                    g1.cancel();
                    g1.join(); // c2, below g1 through g2, is still running: g1 stays in force
                    g2.join();
                }
            } catch (CancelledException e) {
                log.add("g1's cancellation left the blocks");
            }
        });
        assertThat(log).containsExactly("c2 still cancelled", "g1's cancellation left the blocks");
    }

    /** join() threw the group's failure before the cancelled siblings had ended. */
    @Test
    void joinThrowsOnlyAfterTheCancelledSiblingsEnded() {
        reports.run(() -> {
            List<Task<Void>> sibling = new ArrayList<>();
            boolean[] siblingEndedWhenJoinThrew = {false};
            assertThatThrownBy(() -> {
                try (TaskGroup g = TaskGroup.open()) {
                    sibling.add(g.spawn(() -> {
                        try {
                            Weft.sleep(Duration.ofHours(1));
                        } finally {
                            Weft.withShield(() -> Weft.sleep(Duration.ofSeconds(1)));
                        }
                    }));
                    g.spawn(() -> {
                        throw new IllegalStateException("first");
                    });
                    try {
                        g.join();
                    } finally {
                        siblingEndedWhenJoinThrew[0] = sibling.get(0).isDone();
                    }
                }
            }).isInstanceOf(TaskFailedException.class).cause().hasMessage("first");
            assertThat(siblingEndedWhenJoinThrew[0]).isTrue();
        });
    }

    /** Cleanup that waited inside a failed group failed with "Self-suppression not permitted". */
    @Test
    void waitingCleanupInAFailedGroupAttachesItsExceptionInsteadOfFailing() {
        reports.run(() -> {
            AutoCloseable waitingResource = () -> Weft.yield();
            assertThatThrownBy(() -> {
                try (TaskGroup g = TaskGroup.open(); AutoCloseable _ = waitingResource) {
                    g.spawn(() -> {
                        throw new IllegalStateException("boom");
                    });
                    Weft.sleep(Duration.ofHours(1));
                }
            }).isInstanceOf(TaskFailedException.class).hasCauseInstanceOf(IllegalStateException.class)
                    .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                            .isInstanceOf(TaskFailedException.class));
        });
    }
}
