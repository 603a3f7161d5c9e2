package dev.weft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A picture of one running loop for the live view ({@code weft ps}), read from another thread without
 * the loop's turn, so that a stalled or deadlocked loop can still be looked at.
 *
 * <p>Best effort, by design: the loop's fields are plain and written by whoever holds the turn, so
 * the reader may see them stale or half-updated (a task that just ended, a wait reason of the
 * previous suspension, a list link being changed). The reader only reads: the one call that may
 * write is {@link Fiber#name()}'s caching of an unnamed task's {@code Task-N}, which stores an equal
 * string whoever stores it. It always ends: the walk of the live-task list stops at a task seen
 * before or after {@code liveCount} plus {@link #SLACK} tasks ({@link #partial} then says the list
 * was cut short), and a read that throws (a torn read of a task being constructed, a blocker's
 * {@code toString} racing the loop) is retried {@link #ATTEMPTS} times, then given up as an empty,
 * partial snapshot. Nothing here runs on, or waits for, the loop.
 *
 * @param loop the run's number in this process (see {@link LiveView})
 * @param thread the name of the thread that runs the loop
 * @param uptimeNanos real time since the run began
 * @param busyNanos real time tasks have held the turn since the run began, the current turn included
 * @param windowNanos the span {@link #windowBusyNanos} covers: since the run began, or a sample interval
 * @param windowBusyNanos time tasks held the turn during the window
 * @param stall the stall the watchdog has reported and that is still going on, if any
 * @param partial whether the task list may be incomplete (cut short, or unreadable)
 * @param tasks the live tasks, by id
 */
record LoopSnapshot(long loop, String thread, long uptimeNanos, long busyNanos, long windowNanos,
        long windowBusyNanos, @Nullable Stall stall, boolean partial, List<TaskView> tasks) {
    /** Tasks read past {@code liveCount} before the walk gives up: room for tasks spawned meanwhile. */
    static final int SLACK = 1024;
    static final int ATTEMPTS = 3;

    /**
     * One live task.
     *
     * @param reason the {@link WaitReason} label while it is suspended or ready, else empty
     * @param waitingFor {@link Task#waitingFor()}'s text while it is suspended, else empty
     * @param forNanos time since it last got or gave up the turn (since it was spawned, before its first
     *     turn): for the running task, how long it has held the turn
     * @param busyNanos time it has held the turn, the current turn included
     * @param ageNanos time since it was spawned
     * @param parent {@link Task#parent()}'s id, 0 for none
     * @param group the number (within the snapshot) of the task group it is a child of, 0 for none
     * @param awaits the tasks that must act before it can go on (the task it awaits, the holder of the
     *     lock it waits for, the children of the group it joins); empty when anything else may wake it
     */
    record TaskView(long id, String name, Task.State state, String reason, String waitingFor, long forNanos,
            long busyNanos, long ageNanos, long parent, int group, List<Long> awaits) {}

    /** The task holding the turn past the watchdog's threshold, and for how long so far. */
    record Stall(long task, long nanos) {}

    /** The busy share of the window, in percent. */
    double busyPercent() {
        return windowNanos <= 0 ? 0 : 100.0 * windowBusyNanos / windowNanos;
    }

    /** This snapshot with its busy time measured over the interval since {@code earlier}, of the same run. */
    LoopSnapshot since(LoopSnapshot earlier) {
        return new LoopSnapshot(loop, thread, uptimeNanos, busyNanos, uptimeNanos - earlier.uptimeNanos,
                Math.max(0, busyNanos - earlier.busyNanos), stall, partial, tasks);
    }

    /** Reads run {@code loop} of scheduler {@code s}, from any thread; see the class comment. */
    static LoopSnapshot read(Scheduler s, long loop, String thread) {
        for (int attempt = 1;; attempt++) {
            try {
                return read(s, loop, thread, System.nanoTime());
            } catch (RuntimeException e) { // a racy read went wrong: try again, then give up
                if (attempt == ATTEMPTS) {
                    long up = System.nanoTime() - s.startedAt();
                    return new LoopSnapshot(loop, thread, up, 0, up, 0, null, true, List.of());
                }
            }
        }
    }

    private static LoopSnapshot read(Scheduler s, long loop, String thread, long now) {
        List<Fiber<?>> live = new ArrayList<>();
        Set<Fiber<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int cap = Math.max(0, s.liveCount()) + SLACK;
        Fiber<?> f = s.liveHead();
        while (f != null && seen.size() < cap && seen.add(f)) {
            Task.State st = f.state();
            if (st != null && st != Task.State.DONE) { // null: seen before its constructor's writes
                live.add(f);
            }
            f = f.nextLive;
        }
        boolean partial = f != null;
        Collections.reverse(live); // oldest first: ids ascending
        IdentityHashMap<Object, Integer> groups = new IdentityHashMap<>();
        List<TaskView> tasks = new ArrayList<>(live.size());
        Map<Integer, List<Long>> members = new HashMap<>();
        long running = 0;
        for (Fiber<?> t : live) {
            TaskView v = view(t, now, groups);
            tasks.add(v);
            if (v.group() != 0) {
                members.computeIfAbsent(v.group(), g -> new ArrayList<>()).add(v.id());
            }
            if (v.state() == Task.State.RUNNING) {
                running += v.forNanos();
            }
        }
        for (int i = 0; i < tasks.size(); i++) { // a task joining a group awaits its children
            Integer n = live.get(i).blocker() instanceof Group g ? groups.get(g) : null;
            if (n != null) {
                TaskView v = tasks.get(i);
                tasks.set(i, new TaskView(v.id(), v.name(), v.state(), v.reason(), v.waitingFor(), v.forNanos(),
                        v.busyNanos(), v.ageNanos(), v.parent(), v.group(), members.getOrDefault(n, List.of())));
            }
        }
        long up = now - s.startedAt();
        long busy = Math.min(up, s.busyNanos() + running);
        return new LoopSnapshot(loop, thread, up, busy, up, busy, stall(s.watchdog(), live, now), partial,
                List.copyOf(tasks));
    }

    private static TaskView view(Fiber<?> t, long now, IdentityHashMap<Object, Integer> groups) {
        Task.State st = t.state();
        long since = t.since();
        long turn = st == Task.State.RUNNING && since != 0 ? Math.max(0, now - since) : 0;
        WaitReason r = t.waitReason();
        String reason = r != null && (st == Task.State.SUSPENDED || st == Task.State.READY) ? r.label() : "";
        Object b = st == Task.State.SUSPENDED ? t.blocker() : null;
        long parent = t.parent().map(Task::id).orElse(0L);
        int group = t.group().map(g -> number(groups, g)).orElse(0);
        if (b instanceof Group g) {
            number(groups, g);
        }
        long forNanos = st == Task.State.RUNNING ? turn : now - (since != 0 ? since : t.spawnedAt());
        return new TaskView(t.id(), t.name(), st, reason, waitingFor(t), forNanos, t.busyNanos() + turn,
                now - t.spawnedAt(), parent, group, awaited(b));
    }

    /** {@link Task#waitingFor()}, or "?" if the blocker's {@code toString} failed racing the loop. */
    private static String waitingFor(Fiber<?> t) {
        try {
            return t.waitingFor().orElse("");
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static int number(IdentityHashMap<Object, Integer> groups, Object g) {
        return groups.computeIfAbsent(g, k -> groups.size() + 1);
    }

    /** The task that must act to end a wait for {@code blocker}, if one must (groups are done by the caller). */
    private static List<Long> awaited(@Nullable Object blocker) {
        Fiber<?> who = switch (blocker) {
            case Fiber<?> t -> t.state() == Task.State.DONE ? null : t;
            case Lock l -> l.owner();
            case Starting<?> st -> st.child;
            case null, default -> null;
        };
        return who == null ? List.of() : List.of(who.id());
    }

    private static @Nullable Stall stall(@Nullable Watchdog w, List<Fiber<?>> live, long now) {
        Watchdog.Stall s = w == null ? null : w.stall();
        return s == null || !live.contains(s.task()) ? null : new Stall(s.task().id(), now - s.began());
    }
}
