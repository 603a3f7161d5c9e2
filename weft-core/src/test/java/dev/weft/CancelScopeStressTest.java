package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Random trees of nested cancel scopes, timeouts, shields and task groups, run by several tasks while
 * a chaos task cancels scopes, groups and tasks, toggles shields and moves deadlines at random. A
 * model of the scope tree, kept beside the real one, predicts at every checkpoint whether it throws
 * and for which scope (the outermost cancelled one that reaches the task), and at every move-on
 * scope's end whether it catches; every prediction is checked, and a long sleep must not outlive a
 * cancellation. The seed is printed; rerun one with {@code -Dweft.seed=N}.
 */
class CancelScopeStressTest {
    private static final int ROUNDS = 1_000;

    private final Reports reports = new Reports();
    private Random random = new Random(); // replaced by a seeded one in the test
    private final List<Node> live = new ArrayList<>();
    private int nextId;
    private int checks;

    private enum Kind {
        TASK,
        SCOPE,
        TIMEOUT,
        GROUP
    }

    /** The model of a cancel scope: its place in the tree and whether it is cancelled. */
    private final class Node {
        final @Nullable Node parent;
        final Kind kind;
        final String id = "node-" + nextId++;
        final Task<?> owner;
        @Nullable Object real;
        boolean cancelledByHand;
        boolean shield;
        @Nullable Deadline deadline; // none while null

        Node(@Nullable Node parent, Kind kind, Task<?> owner) {
            this.parent = parent;
            this.kind = kind;
            this.owner = owner;
        }

        boolean cancelled() {
            return cancelledByHand || (deadline != null && deadline.hasPassed());
        }
    }

    /**
     * The scope whose cancellation a checkpoint of {@code from}'s task throws, by the model: the
     * outermost cancelled scope that reaches it (shields stop the walk); null if none.
     */
    private static @Nullable Node visibleCancellation(Node from) {
        Node outermost = null;
        for (Node n = from; n != null; n = n.parent) {
            if (n.cancelled()) {
                outermost = n;
            }
            if (n.shield) {
                break;
            }
        }
        return outermost;
    }

    /** Whether {@code e}, thrown at a checkpoint of the current task, is the cancellation of {@code n}. */
    private void checkThrown(RuntimeException e, @Nullable Node model, String where) {
        checks++;
        assertThat(model).as("%s threw %s although the model sees no cancellation", where, e).isNotNull();
        Node n = Objects.requireNonNull(model);
        boolean own = n.owner == Weft.currentTask();
        if (n.kind == Kind.TIMEOUT && own) {
            assertThat(e).as(where).isInstanceOf(DeadlineExceededException.class);
            assertThat(((DeadlineExceededException) e).isFrom((Timeout) Objects.requireNonNull(n.real))).as(where).isTrue();
        } else {
            assertThat(e).as("%s: cancellation of %s %s", where, n.kind, n.id).isInstanceOf(CancelledException.class);
            if (n.cancelledByHand && n.kind != Kind.GROUP) {
                assertThat(e.getMessage()).as(where).contains(n.id);
            }
        }
    }

    /** A checkpoint whose outcome the model predicts. */
    private void checkpoint(Node inner) {
        Node before = visibleCancellation(inner);
        try {
            Weft.yield();
        } catch (CancelledException | DeadlineExceededException e) {
            checkThrown(e, before != null ? before : visibleCancellation(inner), "a checkpoint");
            throw e;
        }
        checks++;
        assertThat(visibleCancellation(inner)).as("a checkpoint that did not throw").isNull();
    }

    /**
     * A sleep far longer than the chaos lasts: it ends early only by a cancellation, so if it ends
     * normally, no cancellation may reach it (one that did, and did not wake it, was missed).
     */
    private void longSleep(Node inner) {
        try {
            Weft.sleep(Duration.ofHours(1));
        } catch (CancelledException | DeadlineExceededException e) {
            checkThrown(e, visibleCancellation(inner), "a long sleep");
            throw e;
        }
        checks++;
        assertThat(visibleCancellation(inner)).as("a long sleep outlived a cancellation that reached it").isNull();
    }

    /**
     * A block whose cleanup waits in a shield, however it ends: cancellations of the scopes around it
     * may come while its exception is on its way out.
     */
    private void cleanupInAShield(Node inner, int depth) {
        try {
            block(inner, depth + 1, 1 + random.nextInt(3));
        } finally {
            try (Shield _ = Weft.shield()) {
                Weft.sleep(Duration.ofMillis(random.nextInt(3)));
            }
        }
    }

    /** Runs a random block of {@code steps} actions inside {@code inner}. */
    private void block(Node inner, int depth, int steps) {
        for (int i = 0; i < steps; i++) {
            int choice = random.nextInt(depth >= 3 ? 3 : 8);
            switch (choice) {
                case 0 -> checkpoint(inner);
                case 2 -> longSleep(inner);
                case 7 -> cleanupInAShield(inner, depth);
                case 1 -> {
                    try {
                        Weft.sleep(Duration.ofMillis(random.nextInt(3)));
                    } catch (CancelledException | DeadlineExceededException e) {
                        checkThrown(e, visibleCancellation(inner), "a sleep");
                        throw e;
                    }
                    checkpoint(inner);
                }
                case 3 -> moveOnScope(inner, depth);
                case 4 -> timeout(inner, depth);
                case 5 -> group(inner, depth);
                default -> shielded(inner, depth);
            }
        }
    }

    private Node enter(Node n) {
        live.add(n);
        return n;
    }

    private void leave(Node n) {
        live.remove(n);
    }

    private void moveOnScope(Node outer, int depth) {
        Node n = new Node(outer, Kind.SCOPE, Weft.currentTask());
        CancelScope scope = CancelScope.create();
        n.real = scope;
        if (random.nextInt(3) == 0) {
            n.deadline = Deadline.after(Duration.ofMillis(random.nextInt(5)));
            scope.rescheduleAt(n.deadline);
        }
        boolean[] reached = new boolean[1];
        boolean[] catches = new boolean[1];
        try {
            scope.run(() -> {
                enter(n);
                try {
                    block(n, depth + 1, 1 + random.nextInt(4));
                } catch (CancelledException e) {
                    reached[0] = true;
                    catches[0] = visibleCancellation(n) == n; // its own cancellation: no outer one reaches it
                    throw e;
                } finally {
                    leave(n);
                }
            });
        } catch (CancelledException | DeadlineExceededException e) {
            checks++;
            assertThat(catches[0]).as("a move-on scope let through a cancellation the model says it catches").isFalse();
            throw e;
        }
        checks++;
        assertThat(scope.cancelledCaught()).as("cancelledCaught of a scope that ended normally")
                .isEqualTo(reached[0] && catches[0]);
    }

    private void timeout(Node outer, int depth) {
        Node n = new Node(outer, Kind.TIMEOUT, Weft.currentTask());
        n.deadline = Deadline.after(Duration.ofMillis(1 + random.nextInt(6)));
        Timeout t = Weft.timeoutAt(n.deadline);
        n.real = t;
        try (t) {
            enter(n);
            try {
                block(n, depth + 1, 1 + random.nextInt(4));
            } finally {
                leave(n);
            }
        } catch (DeadlineExceededException e) {
            if (!e.isFrom(t)) {
                throw e;
            }
            assertThat(t.cancelledCaught()).isTrue();
        }
    }

    private void shielded(Node outer, int depth) {
        Node n = new Node(outer, Kind.SCOPE, Weft.currentTask());
        n.shield = true;
        CancelScope scope = CancelScope.create();
        scope.shield(true);
        n.real = scope;
        scope.run(() -> {
            enter(n);
            try {
                block(n, depth + 1, 1 + random.nextInt(3));
            } finally {
                leave(n);
            }
        });
    }

    private void group(Node outer, int depth) {
        Node g = new Node(outer, Kind.GROUP, Weft.currentTask());
        try (TaskGroup group = TaskGroup.open()) {
            g.real = group;
            enter(g);
            try {
                int children = 1 + random.nextInt(3);
                for (int i = 0; i < children; i++) {
                    spawnWorker(group, g, depth + 1);
                }
                try {
                    group.join();
                } catch (CancelledException | DeadlineExceededException e) {
                    Node v = visibleCancellation(g);
                    assertThat(v).as("join let through its own cancellation").isNotSameAs(g);
                    checkThrown(e, v, "join");
                    throw e;
                }
            } finally {
                leave(g);
            }
        }
    }

    private void spawnWorker(TaskGroup group, Node groupNode, int depth) {
        int steps = 1 + random.nextInt(5);
        Node[] root = new Node[1];
        Task<Void> t = group.spawn(() -> {
            try {
                block(root[0], depth, steps);
            } finally {
                leave(root[0]);
            }
        });
        root[0] = enter(new Node(groupNode, Kind.TASK, t));
        root[0].real = t;
    }

    /** One random act of chaos on a scope that is entered now. */
    private void chaos() {
        if (live.isEmpty()) {
            return;
        }
        Node n = live.get(random.nextInt(live.size()));
        switch (random.nextInt(4)) {
            case 0, 1 -> {
                n.cancelledByHand |= !n.cancelled(); // the first reason is kept
                switch (Objects.requireNonNull(n.real, "every live node has its scope")) {
                    case CancelScope s -> s.cancel(n.id);
                    case TaskGroup g -> g.cancel();
                    case Task<?> t -> t.cancel(n.id);
                    default -> throw new AssertionError(n.real);
                }
            }
            case 2 -> {
                if (n.real instanceof CancelScope s && n.kind == Kind.SCOPE) {
                    n.shield = !n.shield;
                    s.shield(n.shield);
                }
            }
            default -> {
                if (n.real instanceof CancelScope s && !n.cancelled()) {
                    n.deadline = Deadline.after(Duration.ofMillis(random.nextInt(4)));
                    s.rescheduleAt(n.deadline);
                }
            }
        }
    }

    @Test
    void everyCheckpointAndEveryScopesEndIsWhatTheModelPredicts() {
        long seed = Long.getLong("weft.seed", System.nanoTime());
        System.out.println("CancelScopeStressTest seed=" + seed + " (rerun with -Dweft.seed=" + seed + ")");
        random = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            live.clear();
            reports.run(() -> {
                Node top = new Node(null, Kind.TASK, Weft.currentTask());
                top.real = Weft.currentTask();
                try (TaskGroup workers = TaskGroup.open()) {
                    Node g = new Node(top, Kind.GROUP, Weft.currentTask());
                    g.real = workers;
                    for (int i = 0; i < 3; i++) {
                        spawnWorker(workers, g, 0);
                    }
                    workers.spawn("chaos", () -> {
                        for (int i = 0; i < 30; i++) {
                            chaos();
                            if (random.nextBoolean()) {
                                Weft.yield();
                            } else {
                                Weft.sleep(Duration.ofMillis(random.nextInt(2)));
                            }
                        }
                    });
                    workers.join();
                }
            });
        }
        assertThat(reports.all()).as("seed=" + seed).isEmpty();
        assertThat(checks).as("predictions checked").isGreaterThan(ROUNDS);
        System.out.println("CancelScopeStressTest checked " + checks + " predictions");
    }
}
