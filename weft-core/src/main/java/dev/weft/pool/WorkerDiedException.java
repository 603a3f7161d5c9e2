package dev.weft.pool;

import java.io.Serial;
import java.util.List;

/**
 * A worker process died while it ran a task (it called {@code System.exit}, ran out of memory, was
 * killed or crashed): only that task fails, with how the worker ended and the last lines it wrote to
 * its standard error. The pool replaced the worker and goes on.
 */
public final class WorkerDiedException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final transient List<String> lastErrorLines; // not sent anywhere: the message has them too

    WorkerDiedException(String worker, int exitCode, List<String> lastErrorLines) {
        super(worker + " died while running the task: " + describe(exitCode)
                + (lastErrorLines.isEmpty() ? "" : "; its last lines on stderr:\n  " + String.join("\n  ", lastErrorLines)));
        this.exitCode = exitCode;
        this.lastErrorLines = List.copyOf(lastErrorLines);
    }

    private static String describe(int exitCode) {
        return exitCode > 128 ? "killed by signal " + (exitCode - 128) + " (exit code " + exitCode + ")"
                : "exit code " + exitCode;
    }

    /** The worker's exit code (128 + N when signal N killed it). */
    public int exitCode() {
        return exitCode;
    }

    /** The signal that killed the worker, or 0 if it exited by itself. */
    public int signal() {
        return exitCode > 128 ? exitCode - 128 : 0;
    }

    /** The last lines the worker wrote to its standard error. */
    public List<String> lastErrorLines() {
        return lastErrorLines;
    }
}
