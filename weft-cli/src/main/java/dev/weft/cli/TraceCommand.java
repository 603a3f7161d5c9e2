package dev.weft.cli;

import dev.weft.trace.Summary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft trace}: reads traces that Weft wrote; {@code weft trace summary FILE} prints the advisor's report. */
@Command(name = "trace", mixinStandardHelpOptions = true, subcommands = TraceCommand.SummaryCommand.class,
        description = "Reads a trace that Weft wrote (WEFT_TRACE=FILE, Loop.builder().trace(FILE)).")
final class TraceCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: weft trace summary FILE");
    }

    /** {@code weft trace summary FILE}. */
    @Command(name = "summary", mixinStandardHelpOptions = true,
            description = {"Prints the advisor's report on a Chrome trace that Weft wrote: how busy each loop was, where"
                + " the tasks' time went, the long turns, the pool workers, and a verdict (I/O-bound, CPU-bound,"
                + " blocking, mixed) with its evidence.",
                "Exit code 1 when FILE is not such a trace, 2 when it cannot be read."})
    static final class SummaryCommand implements Callable<Integer> {
        @Spec
        @SuppressWarnings("NullAway.Init") // injected by picocli before call()
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "A Chrome trace (JSON) written by Weft.")
        @SuppressWarnings("NullAway.Init") // picocli sets the required parameter before call()
        Path file;

        @Override
        public Integer call() {
            if (Files.isDirectory(file)) {
                throw new ParameterException(spec.commandLine(), file + " is a directory; give a trace file");
            }
            TraceFile trace;
            try {
                trace = TraceFile.read(file);
            } catch (NoSuchFileException e) {
                throw new ParameterException(spec.commandLine(), "no such file: " + file);
            } catch (AccessDeniedException e) {
                throw new ParameterException(spec.commandLine(), "cannot read " + file + ": permission denied");
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
            } catch (TraceFile.NotATraceException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("weft trace summary: " + file + ": " + e.getMessage());
                err.flush();
                return 1;
            }
            Summary s = trace.recorder().summary();
            // the file says what the recording program's buffer dropped; the rebuilt recorder dropped nothing
            Summary read = new Summary(s.verdict(), s.evidence(), s.loops(), s.tasks(), s.waitNanosByReason(),
                    s.stalls(), s.workers(), trace.dropped());
            PrintWriter out = spec.commandLine().getOut();
            out.println(read);
            out.flush();
            return 0;
        }
    }
}
