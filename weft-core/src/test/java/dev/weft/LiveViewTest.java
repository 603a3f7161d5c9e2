package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The live view's snapshots, read off the loop, and what it makes of them: warnings and renderings. */
class LiveViewTest {
    private static final long SECOND = 1_000_000_000L;
    /** Thresholds that leave out the warnings that depend on how fast the machine is. */
    private static final LiveWarnings.Thresholds NO_BUSY_OR_OLD = new LiveWarnings.Thresholds(101, Long.MAX_VALUE, 1);

    /**
     * From a thread of {@code Weft.toThread}, off the loop as {@code weft ps} reads: the snapshot of
     * the running loop that has a task named {@code name}, once its main task waits for this thread
     * (the thread may start before main has given up the turn).
     */
    private static LoopSnapshot loopWith(String name) throws InterruptedException {
        long deadline = System.nanoTime() + 30 * SECOND;
        while (System.nanoTime() < deadline) {
            for (LoopSnapshot l : LiveView.snapshots()) {
                if (l.tasks().stream().anyMatch(t -> t.name().equals(name))
                        && task(l, "main").state() == Task.State.SUSPENDED) {
                    return l;
                }
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no running loop whose main waits has a task '" + name + "'");
    }

    /** The snapshot of the loop run by thread {@code thread}, once the watchdog has seen it stall. */
    private static LoopSnapshot awaitStall(String thread) throws InterruptedException {
        long deadline = System.nanoTime() + 30 * SECOND;
        while (System.nanoTime() < deadline) {
            for (LoopSnapshot l : LiveView.snapshots()) {
                if (l.thread().equals(thread) && l.stall() != null) {
                    return l;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the live view saw no stall of the loop on " + thread + " within 30 s");
    }

    private static LoopSnapshot.TaskView task(LoopSnapshot l, String name) {
        return l.tasks().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aSnapshotShowsEachTasksStateWaitParentAndGroup() throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().reporter(new Reports()).build()) {
            loop.run(() -> {
                Task<?> sleeper = Weft.spawn("lv-sleeper", () -> Weft.sleep(Duration.ofHours(1)));
                Task<?> awaiter = Weft.spawn("lv-awaiter", () -> Weft.await(sleeper));
                Task<?> opener = Weft.spawn("lv-opener", () -> {
                    try (TaskGroup g = TaskGroup.open()) {
                        g.spawn("lv-child-1", () -> Weft.sleep(Duration.ofHours(1)));
                        g.spawn("lv-child-2", () -> new Event().await());
                        g.join();
                    }
                });
                Testing.waitAllTasksBlocked();
                LoopSnapshot l = Weft.toThread(() -> loopWith("lv-sleeper")); // off the loop, as weft ps reads

                assertThat(l.partial()).isFalse();
                assertThat(l.tasks()).extracting(LoopSnapshot.TaskView::id).isSorted();
                LoopSnapshot.TaskView main = task(l, "main");
                assertThat(main.state()).isEqualTo(Task.State.SUSPENDED);
                assertThat(main.reason()).isEqualTo("toThread");
                LoopSnapshot.TaskView s = task(l, "lv-sleeper");
                assertThat(s.reason()).isEqualTo("sleep");
                assertThat(s.waitingFor()).isEqualTo(sleeper.waitingFor().orElseThrow());
                assertThat(s.parent()).isEqualTo(main.id());
                assertThat(s.group()).isZero();
                assertThat(s.awaits()).isEmpty();
                LoopSnapshot.TaskView a = task(l, "lv-awaiter");
                assertThat(a.reason()).isEqualTo("task");
                assertThat(a.awaits()).containsExactly(sleeper.id());
                LoopSnapshot.TaskView o = task(l, "lv-opener");
                LoopSnapshot.TaskView c1 = task(l, "lv-child-1");
                LoopSnapshot.TaskView c2 = task(l, "lv-child-2");
                assertThat(o.reason()).isEqualTo("task group");
                assertThat(o.awaits()).containsExactly(c1.id(), c2.id());
                assertThat(List.of(c1.parent(), c2.parent())).containsOnly(opener.id());
                assertThat(c1.group()).isPositive().isEqualTo(c2.group());
                assertThat(c2.reason()).isEqualTo("event");
                assertThat(l.tasks()).allSatisfy(t -> assertThat(t.ageNanos()).isNotNegative()
                        .isGreaterThanOrEqualTo(t.forNanos()));
                assertThat(LiveWarnings.of(List.of(l), NO_BUSY_OR_OLD)).isEmpty();

                String tree = LiveText.tree(List.of(l), List.of());
                assertThat(tree).containsSubsequence("#" + o.id() + " lv-opener  SUSPENDED task group",
                        "group g" + c1.group(), "#" + c1.id() + " lv-child-1  SUSPENDED sleep",
                        "#" + c2.id() + " lv-child-2  SUSPENDED event");
                assertThat(tree).contains("lv-awaiter  SUSPENDED task (").contains("-> #" + sleeper.id());
                String table = LiveText.table(List.of(l), List.of());
                assertThat(table).contains("ID", "NAME", "STATE", "REASON", "WAITING FOR", "no warnings");
                assertThat(table.lines().filter(line -> line.startsWith("#" + c1.id() + " ")).findFirst().orElseThrow())
                        .contains("lv-child-1", "SUSPENDED", "sleep", "#" + opener.id(), "g" + c1.group());
                String json = LiveText.json(List.of(l), List.of(), List.of(), System.nanoTime());
                assertThat(json.lines().filter(line -> line.contains("\"lv-awaiter\"")).findFirst().orElseThrow())
                        .contains("\"state\": \"SUSPENDED\"", "\"reason\": \"task\"", "\"parent\": " + main.id(),
                                "\"group\": null", "\"awaits\": [" + sleeper.id() + "]");
                assertThat(awaiter.isDone()).isFalse();
            });
        }
        assertThat(LiveView.snapshots()).noneMatch(l -> l.tasks().stream().anyMatch(t -> t.name().equals("lv-sleeper")));
    }

    @Test
    void twoTasksDeadlockedOnTwoLocksAreReportedAndTheRestIsNot() throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().reporter(new Reports()).build()) {
            loop.run(() -> {
                Lock a = new Lock();
                Lock b = new Lock();
                Event aHeld = new Event();
                Event bHeld = new Event();
                Task<?> t1 = Weft.spawn("lv-ab", () -> {
                    a.acquire();
                    aHeld.set();
                    bHeld.await();
                    b.acquire();
                });
                Task<?> t2 = Weft.spawn("lv-ba", () -> {
                    b.acquire();
                    bHeld.set();
                    aHeld.await();
                    a.acquire();
                });
                Task<?> late = Weft.spawn("lv-late", () -> { // waits for t1, which is stuck: stuck too
                    Weft.await(t1);
                });
                Weft.spawn("lv-free", () -> new Event().await()); // waits, but anyone could set the event
                Testing.waitAllTasksBlocked();
                LoopSnapshot l = Weft.toThread(() -> loopWith("lv-ab"));

                assertThat(LiveWarnings.deadlocked(l)).extracting(LoopSnapshot.TaskView::id)
                        .containsExactly(t1.id(), t2.id(), late.id());
                List<LiveWarnings.Warning> w = LiveWarnings.of(List.of(l), NO_BUSY_OR_OLD);
                assertThat(w).singleElement().satisfies(d -> {
                    assertThat(d.kind()).isEqualTo("deadlock");
                    assertThat(d.message()).contains("'lv-ab' #" + t1.id() + " waits for Lock@",
                            "(held by task 'lv-ba')", "'lv-late' #" + late.id() + " waits for task 'lv-ab'");
                });
            }); // main ends: the deadlocked tasks are cancelled
        }
    }

    @Test
    void aStalledLoopCanBeReadAndItsStallIsReported() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        CompletableFuture<Void> run = new CompletableFuture<>();
        Thread driver = Thread.ofPlatform().name("lv-stalled-loop").start(() -> {
            try (Loop loop = Loop.builder().stallThreshold(Duration.ofMillis(20)).reporter(new Reports()).build()) {
                loop.run(() -> {
                    Weft.spawn("lv-napper", () -> Weft.sleep(Duration.ofHours(1)));
                    Weft.await(Weft.spawn("lv-spinner", () -> {
                        while (!release.get()) {
                            Thread.onSpinWait(); // holds the turn: never suspends
                        }
                    }));
                });
                run.complete(null);
            } catch (Throwable e) {
                run.completeExceptionally(e);
            }
        });
        try {
            LoopSnapshot l = awaitStall("lv-stalled-loop");
            LoopSnapshot.Stall stall = Objects.requireNonNull(l.stall());
            LoopSnapshot.TaskView spinner = task(l, "lv-spinner");
            assertThat(stall.task()).isEqualTo(spinner.id());
            assertThat(spinner.state()).isEqualTo(Task.State.RUNNING);
            assertThat(spinner.busyNanos()).isGreaterThanOrEqualTo(stall.nanos());
            assertThat(l.thread()).isEqualTo("lv-stalled-loop");
            assertThat(l.busyNanos()).isGreaterThanOrEqualTo(stall.nanos());
            List<LiveWarnings.Warning> w = LiveWarnings.of(List.of(l), NO_BUSY_OR_OLD);
            assertThat(w).extracting(LiveWarnings.Warning::kind).containsExactly("stall");
            assertThat(w.getFirst().message()).startsWith("task 'lv-spinner' #" + spinner.id() + " has held the loop for");
        } finally {
            release.set(true);
            driver.join(TimeUnit.SECONDS.toMillis(30));
        }
        run.get(0, TimeUnit.SECONDS);
    }

    @Test
    void snapshotsTakenWhileTasksComeAndGoNeitherFailNorDisturbTheLoop() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                try {
                    for (LoopSnapshot l : LiveView.snapshots()) {
                        assertThat(l.tasks()).extracting(LoopSnapshot.TaskView::id).doesNotHaveDuplicates();
                        LiveWarnings.of(List.of(l), LiveWarnings.Thresholds.DEFAULT);
                        LiveText.tree(List.of(l), List.of());
                    }
                    reads.incrementAndGet();
                } catch (Throwable e) {
                    failures.add(e);
                }
            }
        });
        int sum;
        try {
            sum = Loops.run(() -> {
                int total = 0;
                for (int round = 0; round < 2_000 && (round < 200 || reads.get() < 20); round++) {
                    List<Task<Integer>> batch = new java.util.ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        int n = i;
                        batch.add(Weft.spawn("churn", () -> {
                            Weft.yield();
                            return n;
                        }));
                    }
                    for (Task<Integer> t : batch) {
                        total += Weft.await(t);
                    }
                }
                return total;
            });
        } finally {
            done.set(true);
            reader.join();
        }
        assertThat(failures).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(sum % 45).isZero(); // every round's tasks ran and returned 0 + 1 + ... + 9
    }

    @Test
    void busyAndOldTaskWarningsFollowTheirThresholds() {
        LoopSnapshot.TaskView young = new LoopSnapshot.TaskView(1, "young", Task.State.READY, "", "", 0, 0, SECOND,
                0, 0, List.of());
        LoopSnapshot.TaskView old = new LoopSnapshot.TaskView(2, "old", Task.State.SUSPENDED, "sleep", "x", 0, 0,
                10 * SECOND, 0, 0, List.of());
        LoopSnapshot l = new LoopSnapshot(7, "t", 20 * SECOND, 19 * SECOND, 10 * SECOND, 9 * SECOND, null, false,
                List.of(young, old));
        assertThat(l.busyPercent()).isEqualTo(90.0);
        assertThat(LiveWarnings.of(List.of(l), new LiveWarnings.Thresholds(90, 5 * SECOND, 1)))
                .extracting(LiveWarnings.Warning::kind, LiveWarnings.Warning::tasks)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("busy", List.of()),
                        org.assertj.core.groups.Tuple.tuple("old-tasks", List.of(2L)));
        assertThat(LiveWarnings.of(List.of(l), new LiveWarnings.Thresholds(91, 5 * SECOND, 2))).isEmpty();
        LoopSnapshot later = new LoopSnapshot(7, "t", 30 * SECOND, 20 * SECOND, 30 * SECOND, 20 * SECOND, null, false,
                List.of()).since(l);
        assertThat(later.windowNanos()).isEqualTo(10 * SECOND);
        assertThat(later.busyPercent()).isEqualTo(10.0);
    }

    @Test
    void aGroupJoinerAndAChildAwaitingItAreACycleButAChainIsNot() {
        LoopSnapshot.TaskView joiner = new LoopSnapshot.TaskView(1, "j", Task.State.SUSPENDED, "task group", "", 0, 0,
                0, 0, 0, List.of(2L, 3L));
        LoopSnapshot.TaskView sleeping = new LoopSnapshot.TaskView(2, "c1", Task.State.SUSPENDED, "sleep", "", 0, 0,
                0, 1, 1, List.of());
        LoopSnapshot.TaskView back = new LoopSnapshot.TaskView(3, "c2", Task.State.SUSPENDED, "task", "", 0, 0, 0, 1,
                1, List.of(1L));
        LoopSnapshot.TaskView chain = new LoopSnapshot.TaskView(4, "d", Task.State.SUSPENDED, "task", "", 0, 0, 0, 0,
                0, List.of(2L, 99L)); // 99: not in the snapshot (ended meanwhile): not a reason to be stuck
        LoopSnapshot l = new LoopSnapshot(1, "t", 1, 0, 1, 0, null, false, List.of(joiner, sleeping, back, chain));
        assertThat(LiveWarnings.deadlocked(l)).extracting(LoopSnapshot.TaskView::id).containsExactly(1L, 3L);
        LoopSnapshot noCycle = new LoopSnapshot(1, "t", 1, 0, 1, 0, null, false, List.of(sleeping, chain));
        assertThat(LiveWarnings.deadlocked(noCycle)).isEmpty();
    }

    @Test
    void theMBeanIsRegisteredOnceLoopsRunAndRendersEachFormat() throws Exception {
        Loops.run(() -> "ran"); // registers the MBean, on a thread of its own, if no test did
        ObjectName name = new ObjectName(LiveView.OBJECT_NAME);
        var server = ManagementFactory.getPlatformMBeanServer();
        long deadline = System.nanoTime() + 30 * SECOND;
        while (!server.isRegistered(name) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.isRegistered(name)).isTrue();
        assertThat((String) server.getAttribute(name, "Json")).startsWith("{\"pid\": " + ProcessHandle.current().pid());
        assertThat((String) server.getAttribute(name, "Table")).isNotBlank();
        assertThat((String) server.invoke(name, "view", new Object[] {"tree", 1L},
                new String[] {"java.lang.String", "long"})).isNotBlank();
        assertThatThrownBy(() -> server.invoke(name, "view", new Object[] {"xml", 0L},
                new String[] {"java.lang.String", "long"})).hasStackTraceContaining("format must be json, table or tree");
    }
}
