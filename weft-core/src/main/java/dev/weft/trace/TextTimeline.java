package dev.weft.trace;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * The text timeline of {@link Recorder#textTimeline}: plain ASCII, a block per group, a row of
 * {@code width} cells per lane, each cell showing the state that covered most of its time.
 *
 * <pre>
 * loop 1 (main)
 *          |+---------+---------|
 * main #1  |##........-#########|
 * fetch #2 |--##...........-#   |
 * 0 to 20 ms: 1 ms a column, '+' every 10 columns
 * # running  . waiting  - ready  = pool job  blank: nothing recorded
 * </pre>
 */
final class TextTimeline {
    /** The cell characters, by {@link #state}; the order breaks ties (running wins). */
    private static final char[] CELLS = {'#', '=', '-', '.'};
    private static final int MAX_LABEL = 24;
    private static final String LEGEND = "# running  . waiting  - ready  = pool job  blank: nothing recorded\n";

    private TextTimeline() {}

    static String render(List<Slice> slices, int width, int lanes) {
        if (width < 10) {
            throw new IllegalArgumentException("a text timeline is at least 10 columns wide, not " + width);
        }
        if (lanes < 1) {
            throw new IllegalArgumentException("a text timeline shows at least 1 lane a group, not " + lanes);
        }
        long t0 = Long.MAX_VALUE;
        long t1 = Long.MIN_VALUE;
        for (Slice s : slices) {
            if (state(s.kind()) >= 0) {
                t0 = Math.min(t0, s.start());
                t1 = Math.max(t1, s.end());
            }
        }
        if (t0 > t1) {
            return "nothing recorded: no task ran, waited or was ready, no pool worker ran a job\n" + LEGEND;
        }
        long span = Math.max(1, t1 - t0);
        List<Lanes.Group> groups = Lanes.of(slices, lanes);
        int label = 4;
        for (Lanes.Group g : groups) {
            for (Lanes.Lane l : g.lanes()) {
                label = Math.max(label, Math.min(MAX_LABEL, l.track().name().length()));
            }
        }
        StringBuilder out = new StringBuilder();
        for (Lanes.Group g : groups) {
            out.append(ascii(g.name())).append('\n').append(" ".repeat(label)).append(" |");
            for (int c = 0; c < width; c++) {
                out.append(c % 10 == 0 ? '+' : '-');
            }
            out.append("|\n");
            for (Lanes.Lane l : g.lanes()) {
                out.append(pad(ascii(l.track().name()), label)).append(" |").append(cells(l.slices(), t0, span, width))
                        .append("|\n");
            }
            if (g.hidden() > 0) {
                out.append("(+").append(g.hidden()).append(g.hidden() == 1 ? " more lane)\n" : " more lanes)\n");
            }
        }
        return out.append("0 to ").append(millis((double) span)).append(" ms: ").append(millis((double) span / width))
                .append(" ms a column, '+' every 10 columns\n").append(LEGEND).toString();
    }

    /** A lane's cells: each the state that covered most of the cell's time, blank where none did. */
    private static String cells(List<Slice> slices, long t0, long span, int width) {
        long[] covered = new long[width * CELLS.length];
        for (Slice s : slices) {
            int state = state(s.kind());
            if (state < 0 || s.nanos() == 0) {
                continue;
            }
            for (int c = Math.max(0, (int) ((double) (s.start() - t0) * width / span) - 1); c < width; c++) {
                long from = edge(c, t0, span, width);
                long to = edge(c + 1, t0, span, width);
                if (from >= s.end()) {
                    break;
                }
                covered[c * CELLS.length + state] += Math.max(0, Math.min(to, s.end()) - Math.max(from, s.start()));
            }
        }
        char[] row = new char[width];
        for (int c = 0; c < width; c++) {
            int best = -1;
            for (int k = 0; k < CELLS.length; k++) {
                if (covered[c * CELLS.length + k] > (best < 0 ? 0 : covered[c * CELLS.length + best])) {
                    best = k;
                }
            }
            row[c] = best < 0 ? ' ' : CELLS[best];
        }
        return new String(row);
    }

    /** Where cell {@code c} begins. */
    private static long edge(int c, long t0, long span, int width) {
        return t0 + (long) ((double) span * c / width);
    }

    /** The index into {@link #CELLS} for a span of {@code kind}, or -1 for an instant. */
    private static int state(Slice.Kind kind) {
        return switch (kind) {
            case RUN -> 0;
            case WORK -> 1;
            case READY -> 2;
            case WAIT -> 3;
            case MARK, WAKE -> -1;
        };
    }

    /** {@code text} with each character that is not printable ASCII (a line break, an accent) as '?'. */
    private static String ascii(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c >= ' ' && c <= '~' ? c : '?');
        }
        return b.toString();
    }

    private static String pad(String name, int width) {
        return name.length() > width ? name.substring(0, width - 1) + "~" : name + " ".repeat(width - name.length());
    }

    /** Nanoseconds as milliseconds, four significant digits. */
    private static String millis(double nanos) {
        return new BigDecimal(nanos / 1e6).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
