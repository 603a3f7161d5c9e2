package dev.weft.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The advisor: reads a recording into a {@link Summary} and picks its {@link Summary.Verdict}.
 *
 * <p>Loops are the groups whose tracks have run, wait or ready slices; pool workers are the tracks
 * with work slices. The verdict weighs three measures:
 * <ul>
 *   <li>the loops' <em>busy share</em>: their tasks' running time over their wall time, summed over
 *       loops;
 *   <li>the tasks' <em>own time</em>: running, ready for the turn, and waiting on something outside
 *       the loop, either I/O and timers ({@link #IO}) or a pool's results ({@code pool}). Waits on other
 *       tasks (locks, queues, events, a task's end...) are left out: they echo what those tasks do;
 *   <li><em>long turns</em>, of at least {@link #LONG_TURN_NANOS}, each joined with the stall
 *       watchdog's {@code "stall"} mark taken on its track during it: the mark's first line,
 *       {@code "state: X"}, says whether the task's thread ran ({@code RUNNABLE}) or was blocked in a
 *       call that does not suspend ({@code WAITING}, {@code TIMED_WAITING}, {@code BLOCKED}).
 * </ul>
 * The verdict is the first of these that holds:
 * <ol>
 *   <li>{@code UNKNOWN} when the loops' wall time adds up to less than {@link #MIN_WALL_NANOS};
 *   <li>{@code BLOCKING} when blocked long turns add up to at least {@link #BLOCKED_SHARE} of the loops'
 *       busy time;
 *   <li>{@code MIXED} when tasks spent at least {@link #SUBSTANTIAL} of their own time waiting on I/O,
 *       and the loops were busy at least {@link #BUSY} of the time or tasks spent at least
 *       {@link #SUBSTANTIAL} of it waiting on a pool;
 *   <li>{@code CPU_BOUND} when the loops were busy at least {@link #BUSY} of the time, or tasks spent
 *       at least {@link #SUBSTANTIAL} of their own time waiting on a pool;
 *   <li>{@code IO_BOUND} otherwise: the loops idled most of the time and the work did not wait on a pool.
 * </ol>
 * Without stall marks (the watchdog switched off, or turns shorter than its threshold) a loop held by
 * blocking calls cannot be told from one that computes, and reads as CPU-bound: a lower
 * {@code Loop.Builder.stallThreshold} samples shorter turns.
 */
final class Advisor {
    /** A turn at least this long is a stall: 50 ms. */
    static final long LONG_TURN_NANOS = 50_000_000;
    /** Below this much loop wall time in all, the verdict is {@code UNKNOWN}: 10 ms. */
    static final long MIN_WALL_NANOS = 10_000_000;
    /** The share of the loops' busy time that blocked long turns must reach for {@code BLOCKING}. */
    static final double BLOCKED_SHARE = 0.25;
    /** The busy share at which a loop counts as computing rather than idling. */
    static final double BUSY = 0.5;
    /** The share of the tasks' own time that makes a kind of wait substantial. */
    static final double SUBSTANTIAL = 0.25;
    /** The wait reasons that are I/O or timers: waits on the world outside the program's own work. */
    static final Set<String> IO = Set.of("sleep", "read", "write", "connect", "accept", "toThread", "future");

    private static final String POOL = "pool";
    private static final int STALLS_KEPT = 5;
    private static final Set<String> BLOCKED_STATES = Set.of("WAITING", "TIMED_WAITING", "BLOCKED");
    /** Packages of Weft itself: a stack's first frame outside them and the JDK is the user's code. */
    private static final Set<String> WEFT_PACKAGES = Set.of("dev.weft", "dev.weft.internal", "dev.weft.pool",
            "dev.weft.trace", "dev.weft.testing");

    private Advisor() {}

    /** The summary of {@code slices}, of which the recorder {@code dropped} older ones. */
    static Summary summarize(List<Slice> slices, long dropped) {
        Tally t = new Tally(slices);
        List<Summary.LoopUse> loops = t.loops();
        List<Summary.TaskUse> tasks = t.tasks();
        List<Summary.Stall> stalls = t.longTurns.stream().sorted(Comparator.comparingLong(Slice::nanos).reversed())
                .map(t::stall).toList();
        Map<String, Long> waits = new TreeMap<>();
        tasks.forEach(u -> u.waitNanosByReason().forEach((r, n) -> waits.merge(r, n, Long::sum)));
        List<Summary.WorkerUse> workers = t.workers();
        Reading reading = new Reading(loops, tasks, waits, stalls, workers);
        return new Summary(reading.verdict(), reading.evidence(), loops, tasks, waits,
                stalls.subList(0, Math.min(STALLS_KEPT, stalls.size())), workers, dropped);
    }

    /** The slices added up per group and per track, in order of first appearance. */
    private static final class Tally {
        final Map<String, long[]> spans = new LinkedHashMap<>(); // group -> {first start, last end}
        final Map<Track, TaskTally> tasks = new LinkedHashMap<>();
        final Map<Track, WorkerTally> workers = new LinkedHashMap<>();
        final Map<Track, List<Slice>> stallMarks = new LinkedHashMap<>();
        final List<Slice> longTurns = new ArrayList<>();

        Tally(List<Slice> slices) {
            for (Slice s : slices) {
                long[] span = spans.computeIfAbsent(s.track().group(), g -> new long[] {s.start(), s.end()});
                span[0] = Math.min(span[0], s.start());
                span[1] = Math.max(span[1], s.end());
                switch (s.kind()) {
                    case RUN -> {
                        task(s).run += s.nanos();
                        if (s.nanos() >= LONG_TURN_NANOS) {
                            longTurns.add(s);
                        }
                    }
                    case WAIT -> task(s).waits.merge(s.label(), s.nanos(), Long::sum);
                    case READY -> task(s).ready += s.nanos();
                    case WORK -> {
                        WorkerTally w = workers.computeIfAbsent(s.track(), k -> new WorkerTally());
                        w.work += s.nanos();
                        w.jobs++;
                        w.failed += s.detail().isEmpty() ? 0 : 1;
                    }
                    case MARK -> {
                        if (s.label().equals("stall")) {
                            stallMarks.computeIfAbsent(s.track(), k -> new ArrayList<>()).add(s);
                        }
                    }
                    case WAKE -> { } // who woke whom draws arrows; it does not change where time went
                }
            }
        }

        private TaskTally task(Slice s) {
            return tasks.computeIfAbsent(s.track(), k -> new TaskTally());
        }

        private long wall(String group) {
            long[] span = spans.get(group);
            return span == null ? 0 : span[1] - span[0];
        }

        List<Summary.LoopUse> loops() {
            Map<String, long[]> byGroup = new LinkedHashMap<>(); // group -> {busy, tasks}
            tasks.forEach((track, u) -> {
                long[] g = byGroup.computeIfAbsent(track.group(), k -> new long[2]);
                g[0] += u.run;
                g[1]++;
            });
            List<Summary.LoopUse> loops = new ArrayList<>();
            for (String group : spans.keySet()) {
                long[] g = byGroup.get(group);
                if (g != null) {
                    loops.add(new Summary.LoopUse(group, wall(group), g[0], (int) g[1]));
                }
            }
            return loops;
        }

        List<Summary.TaskUse> tasks() {
            List<Summary.TaskUse> out = new ArrayList<>();
            tasks.forEach((track, u) -> out.add(new Summary.TaskUse(track.group(), track.name(), u.run,
                    u.waits.values().stream().mapToLong(Long::longValue).sum(), u.ready, u.waits)));
            out.sort(Comparator.comparingLong(Summary.TaskUse::runNanos).reversed()); // stable: ties keep their order
            return out;
        }

        List<Summary.WorkerUse> workers() {
            List<Summary.WorkerUse> out = new ArrayList<>();
            workers.forEach((track, w) -> out.add(new Summary.WorkerUse(track.group(), track.name(), w.work,
                    wall(track.group()), w.jobs, w.failed)));
            return out;
        }

        /** The long turn {@code turn} with what the first stall mark on its track during it says. */
        Summary.Stall stall(Slice turn) {
            Optional<Slice> mark = stallMarks.getOrDefault(turn.track(), List.of()).stream()
                    .filter(m -> m.start() >= turn.start() && m.start() <= turn.end()).findFirst();
            List<String> lines = mark.map(m -> m.detail().lines().toList()).orElse(List.of());
            boolean blocking = !lines.isEmpty() && lines.getFirst().startsWith("state: ")
                    && BLOCKED_STATES.contains(lines.getFirst().substring("state: ".length()).strip());
            String stack = lines.stream().map(String::strip).filter(l -> l.startsWith("at "))
                    .map(l -> l.substring("at ".length())).collect(Collectors.joining("\n"));
            return new Summary.Stall(turn.track().group(), turn.track().name(), turn.nanos(), blocking, stack);
        }
    }

    private static final class TaskTally {
        long run;
        long ready;
        final Map<String, Long> waits = new TreeMap<>();
    }

    private static final class WorkerTally {
        long work;
        int jobs;
        int failed;
    }

    /**
     * The first frame of {@code stack} (one per line, as in {@link Summary.Stall#stack()}) outside the
     * JDK and Weft: where the user's code was. Empty when there is none.
     */
    static Optional<String> userFrame(String stack) {
        return stack.lines().filter(f -> !isLibrary(f)).findFirst();
    }

    private static boolean isLibrary(String frame) {
        int paren = frame.indexOf('(');
        String method = paren < 0 ? frame : frame.substring(0, paren);
        String qualified = method.substring(method.lastIndexOf('/') + 1); // after "java.base/" or "loader//"
        String type = qualified.substring(0, Math.max(0, qualified.lastIndexOf('.')));
        String pkg = type.substring(0, Math.max(0, type.lastIndexOf('.')));
        return pkg.startsWith("java.") || pkg.startsWith("javax.") || pkg.startsWith("jdk.") || pkg.startsWith("sun.")
                || pkg.startsWith("com.sun.") || WEFT_PACKAGES.contains(pkg);
    }

    /** The measures behind the verdict, and the verdict with its evidence. */
    private static final class Reading {
        final List<Summary.LoopUse> loops;
        final List<Summary.TaskUse> tasks;
        final List<Summary.Stall> stalls;
        final List<Summary.WorkerUse> workers;
        final long wall;
        final long busy;
        final long own;
        final Map<String, Long> io = new TreeMap<>();
        final long ioTotal;
        final long pool;
        final Summary.Verdict verdict;

        Reading(List<Summary.LoopUse> loops, List<Summary.TaskUse> tasks, Map<String, Long> waits,
                List<Summary.Stall> stalls, List<Summary.WorkerUse> workers) {
            this.loops = loops;
            this.tasks = tasks;
            this.stalls = stalls;
            this.workers = workers;
            wall = loops.stream().mapToLong(Summary.LoopUse::wallNanos).sum();
            busy = loops.stream().mapToLong(Summary.LoopUse::busyNanos).sum();
            waits.forEach((reason, n) -> {
                if (IO.contains(reason)) {
                    io.put(reason, n);
                }
            });
            ioTotal = io.values().stream().mapToLong(Long::longValue).sum();
            pool = waits.getOrDefault(POOL, 0L);
            own = busy + tasks.stream().mapToLong(Summary.TaskUse::readyNanos).sum() + ioTotal + pool;
            verdict = verdict();
        }

        private Summary.Verdict verdict() {
            if (wall < MIN_WALL_NANOS) {
                return Summary.Verdict.UNKNOWN;
            }
            if (busy > 0 && blocked() >= BLOCKED_SHARE * busy) {
                return Summary.Verdict.BLOCKING;
            }
            boolean computes = busyShare() >= BUSY || share(pool) >= SUBSTANTIAL;
            if (share(ioTotal) >= SUBSTANTIAL && computes) {
                return Summary.Verdict.MIXED;
            }
            return computes ? Summary.Verdict.CPU_BOUND : Summary.Verdict.IO_BOUND;
        }

        private long blocked() {
            return stalls.stream().filter(Summary.Stall::blocking).mapToLong(Summary.Stall::nanos).sum();
        }

        private double busyShare() {
            return wall == 0 ? 0 : (double) busy / wall;
        }

        /** {@code nanos} as a share of the tasks' own time. */
        private double share(long nanos) {
            return own == 0 ? 0 : (double) nanos / own;
        }

        String evidence() {
            return switch (verdict) {
                case UNKNOWN -> loops.isEmpty()
                        ? "no loop's tasks were recorded" + (workers.isEmpty() ? "" : ", only pool workers")
                        : "the loops were recorded for only " + SummaryText.time(wall) + " (at least "
                                + SummaryText.time(MIN_WALL_NANOS) + " is needed)";
                case BLOCKING -> blockedEvidence();
                case MIXED -> ioClause() + (share(pool) >= SUBSTANTIAL ? "; " + poolClause() : "") + "; "
                        + busyClause(busyShare() >= BUSY);
                case CPU_BOUND -> busyShare() >= BUSY
                        ? busyClause(true) + (share(pool) >= SUBSTANTIAL ? "; " + poolClause() : "")
                        : poolClause() + "; " + busyClause(false);
                case IO_BOUND -> busyClause(false) + "; " + ioClause();
            };
        }

        private String blockedEvidence() {
            List<Summary.Stall> blocked = stalls.stream().filter(Summary.Stall::blocking).toList();
            Summary.Stall longest = blocked.getFirst();
            return blocked.size() + (blocked.size() == 1 ? " turn" : " turns") + " held the loop for "
                    + SummaryText.time(blocked()) + " in all (" + SummaryText.percent((double) blocked() / busy)
                    + " of its busy time) in calls that blocked the thread; the longest, "
                    + SummaryText.time(longest.nanos()) + ", in task '" + longest.task() + "'"
                    + userFrame(longest.stack()).map(f -> ", at " + f).orElse("");
        }

        /** How busy the loops were; with {@code busiest}, in which task and where. */
        private String busyClause(boolean busiest) {
            String clause = (loops.size() == 1 ? "the loop was" : "the " + loops.size() + " loops were") + " busy "
                    + SummaryText.percent(busyShare()) + " of the time";
            if (!busiest || tasks.isEmpty() || busy == 0) {
                return clause;
            }
            Summary.TaskUse top = tasks.getFirst();
            double part = (double) top.runNanos() / busy;
            Optional<String> frame = stalls.stream().filter(s -> s.group().equals(top.group())
                    && s.task().equals(top.task())).flatMap(s -> userFrame(s.stack()).stream()).findFirst();
            return clause + (part >= 0.5 ? ", mostly in task '" + top.task() + "' (" : ", the most in task '"
                    + top.task() + "' (") + SummaryText.percent(part) + " of it)" + frame.map(f -> ", at " + f).orElse("");
        }

        private String ioClause() {
            String reasons = io.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .map(e -> e.getKey() + " " + SummaryText.percent(share(e.getValue())))
                    .collect(Collectors.joining(", "));
            return "tasks spent " + SummaryText.percent(share(ioTotal)) + " of their time waiting on I/O and timers"
                    + (reasons.isEmpty() ? "" : " (" + reasons + ")");
        }

        private String poolClause() {
            long work = workers.stream().mapToLong(Summary.WorkerUse::workNanos).sum();
            long workerWall = workers.stream().mapToLong(Summary.WorkerUse::wallNanos).sum();
            return "tasks spent " + SummaryText.percent(share(pool)) + " of their time waiting on pool results"
                    + (workerWall == 0 ? "" : ", whose workers were busy "
                            + SummaryText.percent((double) work / workerWall) + " of the time");
        }
    }
}
