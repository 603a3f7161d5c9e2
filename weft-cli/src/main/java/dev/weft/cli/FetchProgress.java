package dev.weft.cli;

import java.io.PrintWriter;

/**
 * The progress of {@code weft fetch} on stderr: a bar on a terminal, redrawn in place and cleared
 * before each result line; a plain line every tenth of the way otherwise.
 */
final class FetchProgress {
    private static final int WIDTH = 30;
    /** Back to the line's start, and erase it. */
    private static final String CLEAR = "\r\033[2K";

    private final PrintWriter err;
    private final int total;
    private final boolean terminal;
    private int done;
    private int failed;
    private int lastTenth;

    FetchProgress(PrintWriter err, int total, boolean terminal) {
        this.err = err;
        this.total = total;
        this.terminal = terminal;
    }

    /** Before a result line is printed: the bar is erased, so the line does not run into it. */
    void clear() {
        if (terminal && done > 0) {
            err.print(CLEAR);
            err.flush();
        }
    }

    /** One more URL done: the bar redrawn, or a line when a tenth more is done. */
    void done(boolean ok) {
        done++;
        failed += ok ? 0 : 1;
        if (terminal) {
            int filled = done * WIDTH / total;
            err.printf("%s[%s%s] %d/%d (%d failed)", CLEAR, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total,
                    failed);
            err.flush();
        } else if (done * 10 / total > lastTenth) {
            lastTenth = done * 10 / total;
            err.printf("progress: %d/%d done, %d failed%n", done, total, failed);
            err.flush();
        }
    }

    /** The bar ends its line. */
    void finish() {
        if (terminal && done > 0) {
            err.println();
            err.flush();
        }
    }
}
