package dev.weft.cli;

import java.io.PrintWriter;
import java.util.List;

/** Prints a lab case's rows as a table: model, wall time with its spread, speed-up, CPU use, loop busy. */
final class LabTable {
    private LabTable() {}

    /** Prints {@code rows}, speed-ups relative to the first row, and a note on how the numbers were taken. */
    static void print(PrintWriter out, List<LabRow> rows, int repeats) {
        long base = rows.getFirst().wallNanos();
        Table table = new Table("how", "model", "wall time", "speed-up", "cores used", "loop busy");
        boolean skipped = false;
        for (LabRow r : rows) {
            skipped |= r.wasSkipped();
            table.row(r.how(), r.model(), wall(r, repeats), String.format("%.1fx", (double) base / r.wallNanos()),
                    Double.isNaN(r.cores()) ? "-" : String.format("%.1f", r.cores()),
                    Double.isNaN(r.busy()) ? "-" : String.format("%.0f%%", 100 * r.busy()));
        }
        table.print(out);
        out.println("wall time: " + (repeats > 1 ? "the median of " + repeats + " runs, +- the farthest from it"
                + " (slow rows ran once)" : "one run") + (skipped ? "; ~ estimated, not run (--yes runs it)" : ""));
        out.println("cores used: CPU time of this process (with the mock API) and its workers / wall time;"
                + " loop busy: share of the wall time some task held the loop");
    }

    private static String wall(LabRow r, int repeats) {
        if (r.wasSkipped()) {
            return "~" + Table.seconds(r.wallNanos()) + " (skipped)";
        }
        return Table.seconds(r.wallNanos())
                + (r.walls().size() > 1 ? String.format(" +-%.0f%%", 100 * r.spread()) : repeats > 1 ? " (once)" : "");
    }
}
