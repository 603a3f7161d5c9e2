package dev.weft.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weft} command. */
@Command(name = "weft", mixinStandardHelpOptions = true, version = "weft 0.1.0",
        description = "Concurrency, asynchrony and parallelism for Java, the asyncio way.",
        subcommands = {LabCommand.class, FetchCommand.class, MockApiCommand.class, BenchCommand.class,
            TestCommand.class, PsCommand.class, PstreeCommand.class, TraceCommand.class, WorkerCommand.class})
public final class Main {
    private Main() {}

    /** Runs the command line; stdout is the process's own, so that a write to a closed pipe is seen. */
    public static void main(String[] args) {
        CommandLine cli = commandLine();
        cli.setOut(new PrintWriter(System.out, true, System.out.charset())); // over a PrintStream: checkError() sees EPIPE
        System.exit(cli.execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }
}
