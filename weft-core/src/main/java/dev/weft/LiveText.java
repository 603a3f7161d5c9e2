package dev.weft;

import dev.weft.internal.Durations;
import dev.weft.internal.Json;
import dev.weft.internal.LivePools;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The live view's renderings of snapshots and warnings: a table ({@code ps}), a tree ({@code pstree}), JSON. */
final class LiveText {
    private LiveText() {}

    private static final String[] HEADER = {"ID", "NAME", "STATE", "REASON", "FOR", "BUSY", "AGE", "PARENT", "GROUP",
        "WAITING FOR"};

    /** One table of tasks per loop, then the warnings. */
    static String table(List<LoopSnapshot> loops, List<LiveWarnings.Warning> warnings) {
        StringBuilder b = new StringBuilder();
        for (LoopSnapshot l : loops) {
            b.append(heading(l)).append('\n');
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADER);
            for (LoopSnapshot.TaskView v : l.tasks()) {
                rows.add(new String[] {"#" + v.id(), v.name(), v.state().name(), v.reason(),
                    Durations.format(v.forNanos()), Durations.format(v.busyNanos()), Durations.format(v.ageNanos()),
                    v.parent() == 0 ? "-" : "#" + v.parent(), v.group() == 0 ? "-" : "g" + v.group(),
                    oneLine(v.waitingFor())});
            }
            align(rows, b);
            b.append('\n');
        }
        return b.append(warnings(loops, warnings)).toString().stripTrailing() + "\n";
    }

    /**
     * Per loop, the tree of tasks: under each task, the groups it opened ({@code g1}) with their
     * children, and the tasks it spawned outside groups; {@code -> #5} says whom a task awaits.
     */
    static String tree(List<LoopSnapshot> loops, List<LiveWarnings.Warning> warnings) {
        StringBuilder b = new StringBuilder();
        for (LoopSnapshot l : loops) {
            b.append(heading(l)).append('\n');
            Map<Long, List<LoopSnapshot.TaskView>> children = new HashMap<>();
            List<LoopSnapshot.TaskView> roots = new ArrayList<>();
            var live = l.tasks().stream().map(LoopSnapshot.TaskView::id).collect(Collectors.toSet());
            for (LoopSnapshot.TaskView v : l.tasks()) {
                (live.contains(v.parent()) ? children.computeIfAbsent(v.parent(), k -> new ArrayList<>()) : roots).add(v);
            }
            // a stack rather than recursion: a chain of tasks spawning tasks may be deep
            ArrayDeque<Node> todo = new ArrayDeque<>();
            push(todo, roots, "");
            while (!todo.isEmpty()) {
                Node n = todo.pop();
                b.append(n.lead()).append(n.label()).append('\n');
                LoopSnapshot.TaskView t = n.task();
                if (t != null) { // null for a group's heading, whose members were pushed with it
                    push(todo, children.getOrDefault(t.id(), List.of()), n.indent());
                }
            }
            b.append('\n');
        }
        return b.append(warnings(loops, warnings)).toString().stripTrailing() + "\n";
    }

    /** How deep the tree indents (64 levels): deeper tasks stay at that depth, so a long chain stays linear. */
    private static final int MAX_INDENT = 256;

    /** A line of the tree: a task, or a group heading; {@code indent} prefixes what goes under it. */
    private record Node(String lead, String indent, String label, LoopSnapshot.@Nullable TaskView task) {}

    /**
     * Pushes the lines of {@code kids} (the children of one task, under {@code indent}) so that they pop
     * in order: those outside groups first, then each group's heading and members.
     */
    private static void push(ArrayDeque<Node> todo, List<LoopSnapshot.TaskView> kids, String indent) {
        Map<Integer, List<LoopSnapshot.TaskView>> byGroup = new TreeMap<>();
        for (LoopSnapshot.TaskView v : kids) {
            byGroup.computeIfAbsent(v.group(), g -> new ArrayList<>()).add(v);
        }
        List<Node> lines = new ArrayList<>();
        List<Map.Entry<Integer, List<LoopSnapshot.TaskView>>> entries = new ArrayList<>(byGroup.entrySet());
        for (int i = 0; i < entries.size(); i++) {
            int group = entries.get(i).getKey();
            List<LoopSnapshot.TaskView> members = entries.get(i).getValue();
            boolean lastEntry = i == entries.size() - 1;
            if (group == 0) {
                for (int k = 0; k < members.size(); k++) {
                    lines.add(taskNode(members.get(k), indent, lastEntry && k == members.size() - 1));
                }
            } else {
                lines.add(new Node(indent + (lastEntry ? "└── " : "├── "), "", "group g" + group, null));
                String inner = indent + (lastEntry ? "    " : "│   ");
                for (int k = 0; k < members.size(); k++) {
                    lines.add(taskNode(members.get(k), inner, k == members.size() - 1));
                }
            }
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            todo.push(lines.get(i));
        }
    }

    private static Node taskNode(LoopSnapshot.TaskView v, String indent, boolean last) {
        String label = "#" + v.id() + " " + v.name() + "  " + v.state() + (v.reason().isEmpty() ? "" : " " + v.reason())
                + " (" + Durations.format(v.forNanos()) + ")"
                + (v.awaits().isEmpty() ? "" : " -> " + v.awaits().stream().map(id -> "#" + id)
                        .collect(Collectors.joining(", ")));
        String under = indent.length() >= MAX_INDENT ? indent : indent + (last ? "    " : "│   ");
        return new Node(indent + (last ? "└── " : "├── "), under, label, v);
    }

    /**
     * A table per open pool: each worker, what it runs and for how long (a cluster's workers are its
     * members' threads); nothing when no pool is open.
     */
    static String pools(List<LivePools.View> pools, long now) {
        StringBuilder b = new StringBuilder();
        for (LivePools.View p : pools) {
            long busy = p.workers().stream().filter(w -> !w.work().isEmpty()).count();
            b.append('\n').append(p.label()).append(": ").append(p.workers().size()).append(" worker(s), ").append(busy)
                    .append(" busy\n");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"WORKER", "RUNNING", "FOR"});
            for (LivePools.Worker w : p.workers()) {
                boolean idle = w.work().isEmpty();
                rows.add(new String[] {w.name(), idle ? "-" : oneLine(w.work()),
                    idle ? "-" : Durations.format(now - w.sinceNanos())});
            }
            align(rows, b);
        }
        return b.toString();
    }

    /** The snapshots, warnings and pools as one JSON object, a task or a worker per line. */
    static String json(List<LoopSnapshot> loops, List<LiveWarnings.Warning> warnings, List<LivePools.View> pools,
            long now) {
        StringBuilder b = new StringBuilder("{\"pid\": ").append(ProcessHandle.current().pid()).append(",\n\"loops\": [");
        for (int i = 0; i < loops.size(); i++) {
            LoopSnapshot l = loops.get(i);
            LoopSnapshot.Stall s = l.stall();
            b.append(i == 0 ? "\n" : ",\n").append("{\"loop\": ").append(l.loop()).append(", \"thread\": ")
                    .append(Json.str(l.thread())).append(", \"uptimeNanos\": ").append(l.uptimeNanos())
                    .append(", \"busyNanos\": ").append(l.busyNanos()).append(", \"windowNanos\": ").append(l.windowNanos())
                    .append(", \"windowBusyNanos\": ").append(l.windowBusyNanos()).append(", \"busyPercent\": ")
                    .append(String.format(Locale.ROOT, "%.1f", l.busyPercent())).append(", \"partial\": ")
                    .append(l.partial()).append(", \"stall\": ")
                    .append(s == null ? "null" : "{\"task\": " + s.task() + ", \"nanos\": " + s.nanos() + "}")
                    .append(", \"tasks\": [");
            for (int k = 0; k < l.tasks().size(); k++) {
                LoopSnapshot.TaskView v = l.tasks().get(k);
                b.append(k == 0 ? "\n  " : ",\n  ").append("{\"id\": ").append(v.id()).append(", \"name\": ")
                        .append(Json.str(v.name())).append(", \"state\": \"").append(v.state()).append("\", \"reason\": ")
                        .append(Json.str(v.reason())).append(", \"waitingFor\": ").append(Json.str(v.waitingFor()))
                        .append(", \"forNanos\": ").append(v.forNanos()).append(", \"busyNanos\": ").append(v.busyNanos())
                        .append(", \"ageNanos\": ").append(v.ageNanos()).append(", \"parent\": ")
                        .append(v.parent() == 0 ? "null" : v.parent()).append(", \"group\": ")
                        .append(v.group() == 0 ? "null" : v.group()).append(", \"awaits\": ").append(v.awaits())
                        .append('}');
            }
            b.append("]}");
        }
        b.append("],\n\"warnings\": [");
        for (int i = 0; i < warnings.size(); i++) {
            LiveWarnings.Warning w = warnings.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("{\"kind\": ").append(Json.str(w.kind())).append(", \"loop\": ")
                    .append(w.loop()).append(", \"tasks\": ").append(w.tasks()).append(", \"message\": ")
                    .append(Json.str(w.message())).append('}');
        }
        b.append("],\n\"pools\": [");
        for (int i = 0; i < pools.size(); i++) {
            LivePools.View p = pools.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("{\"pool\": ").append(Json.str(p.label())).append(", \"workers\": [");
            for (int k = 0; k < p.workers().size(); k++) {
                LivePools.Worker w = p.workers().get(k);
                b.append(k == 0 ? "\n  " : ",\n  ").append("{\"name\": ").append(Json.str(w.name())).append(", \"running\": ")
                        .append(w.work().isEmpty() ? "null" : Json.str(w.work())).append(", \"forNanos\": ")
                        .append(w.work().isEmpty() ? "null" : now - w.sinceNanos()).append('}');
            }
            b.append("]}");
        }
        return b.append("]}\n").toString();
    }

    private static String heading(LoopSnapshot l) {
        return String.format(Locale.ROOT, "loop %d (%s): %d task(s), busy %.1f%% of %s%s%s", l.loop(), l.thread(),
                l.tasks().size(), l.busyPercent(), Durations.format(l.windowNanos()),
                l.windowNanos() == l.uptimeNanos() ? " since it started" : "",
                l.partial() ? " (partial: the loop changed while it was read)" : "");
    }

    private static String warnings(List<LoopSnapshot> loops, List<LiveWarnings.Warning> warnings) {
        if (loops.isEmpty()) {
            return "no loop is running\n";
        }
        StringBuilder b = new StringBuilder(warnings.isEmpty() ? "no warnings\n" : "warnings:\n");
        for (LiveWarnings.Warning w : warnings) {
            b.append("  ").append(w.kind()).append(" (loop ").append(w.loop()).append("): ")
                    .append(w.message().replace("\n", "\n    ")).append('\n');
        }
        return b.toString();
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ');
    }

    /** Appends {@code rows} with aligned columns, two spaces apart; the last column is not padded. */
    private static void align(List<String[]> rows, StringBuilder b) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]).append(i < r.length - 1 ? " ".repeat(width[i] - r[i].length() + 2) : "");
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
