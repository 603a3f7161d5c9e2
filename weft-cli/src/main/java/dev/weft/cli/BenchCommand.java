package dev.weft.cli;

import dev.weft.bench.Anchors;
import dev.weft.bench.ClusterBench;
import dev.weft.bench.EchoBench;
import dev.weft.bench.FetchBench;
import dev.weft.bench.Jmh;
import dev.weft.bench.Machine;
import dev.weft.bench.PoolBench;
import dev.weft.bench.Report;
import dev.weft.bench.SideBySide;
import dev.weft.bench.SideBySide.Result;
import dev.weft.bench.Sizes;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft bench NAME}: one benchmark, Weft beside CPython asyncio and uvloop, in the same run; a
 * table on stdout, or with {@code --json} the run as JSON (with its date, commit and machine), which
 * {@code weft bench report} turns into the README's tables.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = BenchReportCommand.class,
        description = "Runs one benchmark against CPython asyncio and uvloop in the same run and prints a table"
                + " (or, with --json, the run as JSON).")
final class BenchCommand implements Callable<Integer> {
    @SuppressWarnings("NullAway.Init") // picocli injects the spec before call()
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The benchmark to run; --list shows them all.")
    String name = "";

    @Option(names = "--json", description = "Print the run as JSON (date, commit, machine, sizes, rows) instead of a table;"
            + " the table goes to stderr.")
    boolean json;

    @Option(names = "--repeat", defaultValue = "3", description = "Runs per system; the median is kept (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--small", description = "Small workload sizes: checks in seconds that the benchmark runs end to end;"
            + " not a measurement.")
    boolean small;

    @Option(names = "--install-anchors", description = "Install the missing anchors with apt-get (" + Anchors.INSTALL
            + "); without it a missing anchor is skipped and the command printed.")
    boolean installAnchors;

    @Option(names = "--list", description = "List the benchmarks.")
    boolean list;

    /** The benchmarks that are not SideBySide's loop workloads nor JMH's. */
    private static final List<SideBySide.Spec> OWN = List.of(EchoBench.SPEC, FetchBench.SPEC, PoolBench.SPEC,
            ClusterBench.SPEC);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, SideBySide.Spec> all = specs();
        if (list || name.isEmpty()) {
            all.values().forEach(s -> out.printf("%-10s %s%n", s.name(), Sizes.of(s.name(), Sizes.Scale.FULL).fill(s.description())));
            out.flush();
            if (!list) {
                throw new ParameterException(spec.commandLine(), "missing benchmark NAME (one of " + all.keySet() + ")");
            }
            return 0;
        }
        if (!all.containsKey(name)) {
            throw new ParameterException(spec.commandLine(), "unknown benchmark '" + name + "'; known: " + all.keySet());
        }
        if (repeat < 1 || repeat > 50) {
            throw new ParameterException(spec.commandLine(), "--repeat must be between 1 and 50, got " + repeat);
        }
        Sizes.Scale scale = small ? Sizes.Scale.SMALL : Sizes.Scale.FULL;
        PrintStream log = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        Anchors anchors = new Anchors(installAnchors, log);
        log.printf("weft bench %s: %s%n", name, Sizes.of(name, scale).fill(all.get(name).description()));
        Result r = run(scale, anchors, log);
        Report.Run run = new Report.Run(r, scale, Jmh.specs().containsKey(name) ? 1 : repeat, Machine.here(anchors));
        if (json) {
            print(r, new PrintWriter(log, true, StandardCharsets.UTF_8));
            out.print(Report.json(run));
        } else {
            print(r, out);
        }
        out.flush();
        return 0;
    }

    private Result run(Sizes.Scale scale, Anchors anchors, PrintStream log) throws Exception {
        return switch (name) {
            case "echo" -> EchoBench.run(scale, repeat, anchors, log);
            case "fetch" -> FetchBench.run(scale, repeat, anchors, log);
            case "pool" -> PoolBench.run(scale, repeat, anchors, log);
            case "cluster" -> ClusterBench.run(scale, repeat, anchors, log);
            default -> Jmh.specs().containsKey(name) ? Jmh.run(name, scale, log)
                    : SideBySide.run(name, scale, repeat, anchors, log);
        };
    }

    /** Every benchmark, by name, in the order of {@code --list}. */
    private static Map<String, SideBySide.Spec> specs() {
        Map<String, SideBySide.Spec> all = new LinkedHashMap<>(SideBySide.specs());
        OWN.forEach(s -> all.put(s.name(), s));
        all.putAll(Jmh.specs());
        return all;
    }

    static void print(Result r, PrintWriter out) {
        List<List<String>> rows = Report.table(r);
        Table t = new Table(rows.get(0).toArray(String[]::new));
        rows.subList(1, rows.size()).forEach(row -> t.row(row.toArray()));
        t.print(out);
        List<String> systems = new ArrayList<>(r.bySystem().keySet());
        out.println("(W vs X: how many times better Weft's W is than X"
                + (systems.contains(SideBySide.SHARED) ? "; " + SideBySide.SHARED + ": loops on the JDK's shared scheduler" : "")
                + (systems.contains(SideBySide.TRACED) ? "; " + SideBySide.TRACED + ": a trace Recorder attached" : "") + ")");
        r.notes().forEach(n -> out.println("note: " + n));
        out.flush();
    }
}
