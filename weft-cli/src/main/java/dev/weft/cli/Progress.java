package dev.weft.cli;

import java.io.PrintWriter;

/**
 * The lab's progress on stderr: on a terminal a single status line rewritten in place (cleared before
 * anything else is printed, so tables on stdout stay whole), otherwise one plain line per status.
 */
final class Progress {
    private static final String CLEAR_LINE = "\r\033[K";

    private final PrintWriter err;
    private final boolean terminal;
    private boolean shown;

    Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** Whether this JVM's console is an interactive terminal (stdin and stdout, as the JDK tells). */
    static boolean onTerminal() {
        // null when the JVM has no console at all (an embedded JVM), whatever SystemConsoleNull says
        return java.util.Optional.ofNullable(System.console()).map(java.io.Console::isTerminal).orElse(false);
    }

    /** Shows what runs now. */
    void status(String text) {
        if (terminal) {
            err.print(CLEAR_LINE + text);
            shown = true;
        } else {
            err.println("weft lab: " + text);
        }
        err.flush();
    }

    /** Removes the status line, if one is shown. */
    void clear() {
        if (shown) {
            err.print(CLEAR_LINE);
            err.flush();
            shown = false;
        }
    }
}
