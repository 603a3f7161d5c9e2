package dev.weft.cli;

import dev.weft.bench.Report;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft bench report FILE...}: the Markdown tables of runs saved by {@code weft bench NAME --json};
 * with {@code --readme README.md}, rewrites each benchmark's section of that file in place.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Turns runs saved by 'weft bench NAME --json' into Markdown tables; with --readme, rewrites"
                + " the text between <!-- bench:NAME --> and <!-- /bench:NAME --> of that file for each run.")
final class BenchReportCommand implements Callable<Integer> {
    @SuppressWarnings("NullAway.Init") // picocli injects the spec before call()
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "JSON files written by 'weft bench NAME --json'.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--readme", paramLabel = "FILE", description = "Rewrite the benchmarks' sections of this Markdown file.")
    Optional<Path> readme = Optional.empty();

    @Override
    public Integer call() throws IOException {
        List<Report.Run> runs = new ArrayList<>();
        for (Path f : files) {
            try {
                runs.add(Report.parse(Files.readString(f, StandardCharsets.UTF_8)));
            } catch (IOException | IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), f + ": " + e.getMessage(), e);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (readme.isEmpty()) {
            runs.forEach(r -> out.println(Report.markdown(r)));
        } else {
            Path target = readme.get();
            String text;
            try {
                text = Report.rewrite(Files.readString(target, StandardCharsets.UTF_8), runs);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), target + ": " + e.getMessage(), e);
            }
            Files.writeString(target, text, StandardCharsets.UTF_8);
            out.println("rewrote " + runs.size() + " section(s) of " + target);
        }
        out.flush();
        return 0;
    }
}
