package dev.weft;

import dev.weft.internal.Durations;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the live view warns about, as tokio-console's lints do, from {@link LoopSnapshot}s: a task
 * holding the turn too long (the stall watchdog's current stall), a loop busy above a share of its
 * time, tasks waiting for each other in a cycle, and many tasks that have lived long. With the
 * watchdog off ({@code Loop.Builder.noStallWatchdog()}) there is no stall warning: a long turn
 * shows as the running task's {@code FOR} and as busy time.
 */
final class LiveWarnings {
    private LiveWarnings() {}

    /**
     * One warning.
     *
     * @param kind {@code stall}, {@code busy}, {@code deadlock} or {@code old-tasks}
     * @param loop the run it is about
     * @param tasks the ids of the tasks it is about
     * @param message what is wrong and what to do, for people
     */
    record Warning(String kind, long loop, List<Long> tasks, String message) {}

    /**
     * When to warn.
     *
     * @param busyPercent a loop busy at least this share of its window
     * @param oldNanos a task is old once it has lived this long
     * @param oldCount at least this many old tasks on one loop
     */
    record Thresholds(double busyPercent, long oldNanos, int oldCount) {
        /** 90% busy; 100 tasks alive for 5 minutes or more. */
        static final Thresholds DEFAULT = new Thresholds(90, 300_000_000_000L, 100);
    }

    /** The warnings about {@code loops}. */
    static List<Warning> of(List<LoopSnapshot> loops, Thresholds t) {
        List<Warning> out = new ArrayList<>();
        for (LoopSnapshot l : loops) {
            LoopSnapshot.Stall s = l.stall();
            if (s != null) {
                out.add(new Warning("stall", l.loop(), List.of(s.task()), "task " + task(l, s.task()) + " has held "
                        + "the loop for " + Durations.format(s.nanos()) + " without reaching a suspension point, so no "
                        + "other task of the loop runs: move blocking calls to Weft.toThread and CPU work to a Pool"));
            }
            if (l.busyPercent() >= t.busyPercent()) {
                out.add(new Warning("busy", l.loop(), List.of(), String.format(java.util.Locale.ROOT,
                        "the loop was busy %.0f%% of %s: its tasks wait for the turn; spread them over more loops or"
                        + " move CPU work to a Pool", l.busyPercent(), Durations.format(l.windowNanos()))));
            }
            List<LoopSnapshot.TaskView> stuck = deadlocked(l);
            if (!stuck.isEmpty()) {
                StringBuilder m = new StringBuilder("tasks wait for each other and no other task or thread can wake"
                        + " them (unless a timeout or a cancellation ends a wait):");
                for (LoopSnapshot.TaskView v : stuck) {
                    m.append("\n  ").append(task(l, v.id())).append(" waits for ").append(v.waitingFor());
                }
                out.add(new Warning("deadlock", l.loop(), ids(stuck), m.toString()));
            }
            List<Long> old = ids(l.tasks().stream().filter(v -> v.ageNanos() >= t.oldNanos()).toList());
            if (old.size() >= t.oldCount()) {
                out.add(new Warning("old-tasks", l.loop(), old, old.size() + " tasks have lived longer than "
                        + Durations.format(t.oldNanos()) + ": tasks that never end (a leak?) keep their memory;"
                        + " give them a timeout or a task group that ends"));
            }
        }
        return out;
    }

    /**
     * The tasks that can never go on: those whose waits ({@link LoopSnapshot.TaskView#awaits}) lead
     * into a cycle. A task can go on if it awaits nobody, or only tasks that can go on (or that are not
     * in the snapshot); what is left waits on a cycle. Linear in tasks and waits, without recursion.
     */
    static List<LoopSnapshot.TaskView> deadlocked(LoopSnapshot l) {
        Map<Long, List<Long>> waitedBy = new HashMap<>();
        Map<Long, Integer> pending = new HashMap<>();
        ArrayDeque<Long> free = new ArrayDeque<>();
        for (LoopSnapshot.TaskView v : l.tasks()) {
            pending.put(v.id(), 0);
        }
        for (LoopSnapshot.TaskView v : l.tasks()) {
            for (long w : v.awaits()) {
                if (pending.containsKey(w)) {
                    pending.merge(v.id(), 1, Integer::sum);
                    waitedBy.computeIfAbsent(w, k -> new ArrayList<>()).add(v.id());
                }
            }
        }
        pending.forEach((id, n) -> {
            if (n == 0) {
                free.add(id);
            }
        });
        while (!free.isEmpty()) {
            for (long waiter : waitedBy.getOrDefault(free.poll(), List.of())) {
                if (pending.merge(waiter, -1, Integer::sum) == 0) {
                    free.add(waiter);
                }
            }
        }
        return l.tasks().stream().filter(v -> pending.getOrDefault(v.id(), 0) > 0).toList();
    }

    private static List<Long> ids(List<LoopSnapshot.TaskView> tasks) {
        return tasks.stream().map(LoopSnapshot.TaskView::id).toList();
    }

    /** {@code 'name' #id} of task {@code id}, or {@code #id} if the snapshot does not have it. */
    static String task(LoopSnapshot l, long id) {
        return l.tasks().stream().filter(v -> v.id() == id).findFirst().map(v -> "'" + v.name() + "' #" + id)
                .orElse("#" + id);
    }
}
