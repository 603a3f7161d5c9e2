package dev.weft.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Base of the command line's tests: runs {@code weft ARGS} in-process and keeps what it printed. */
abstract class CliHarness {
    /** What the runs printed to stdout. */
    protected final StringWriter out = new StringWriter();
    /** What the runs printed to stderr. */
    protected final StringWriter err = new StringWriter();

    /** Runs the command line with {@code args}; returns its exit code. */
    protected int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }
}
