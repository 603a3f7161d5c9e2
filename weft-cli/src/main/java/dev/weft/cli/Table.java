package dev.weft.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns: the first left-aligned, the others right-aligned. */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    public Table(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    public Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    public void print(PrintWriter out) {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String pad = " ".repeat(width[i] - r[i].length());
                sb.append(i == 0 ? r[i] + pad : pad + r[i]).append(i < columns - 1 ? "  " : "");
            }
            out.println(sb.toString().stripTrailing());
            if (k == 0) {
                out.println("-".repeat(sb.toString().stripTrailing().length()));
            }
        }
        out.flush();
    }

    /** Nanoseconds as seconds with 3 decimals. */
    public static String seconds(long nanos) {
        return String.format("%.3f s", nanos / 1e9);
    }
}
