package dev.weft.cli;

import dev.weft.bench.EchoBench;
import dev.weft.bench.FetchBench;
import dev.weft.bench.PoolBench;
import dev.weft.bench.Jmh;
import dev.weft.bench.SideBySide;
import dev.weft.bench.SideBySide.Metric;
import dev.weft.bench.SideBySide.Result;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code weft bench NAME}: one benchmark, Weft beside CPython asyncio and uvloop, in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs one benchmark against CPython asyncio and uvloop in the same run and prints a table.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The benchmark to run; --list shows them all.")
    String name;

    @Option(names = "--json", description = "Also print the result as one JSON object on the last line.")
    boolean json;

    @Option(names = "--repeat", defaultValue = "3", description = "Runs per system; the median is kept (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--list", description = "List the benchmarks.")
    boolean list;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (list || name == null) {
            SideBySide.specs().values().forEach(s -> out.printf("%-10s %s%n", s.name(), s.description()));
            out.printf("%-10s %s%n", EchoBench.SPEC.name(), EchoBench.SPEC.description());
            out.printf("%-10s %s%n", FetchBench.SPEC.name(), FetchBench.SPEC.description());
            out.printf("%-10s %s%n", PoolBench.SPEC.name(), PoolBench.SPEC.description());
            Jmh.specs().values().forEach(s -> out.printf("%-10s %s%n", s.name(), s.description()));
            out.flush();
            if (name == null && !list) {
                throw new ParameterException(spec.commandLine(), "missing benchmark NAME (one of " + known() + ")");
            }
            return 0;
        }
        if (Jmh.specs().containsKey(name)) {
            Result r = Jmh.run(name);
            print(r, out);
            if (json) {
                out.println(SideBySide.json(r));
            }
            out.flush();
            return 0;
        }
        boolean echo = EchoBench.SPEC.name().equals(name);
        boolean fetch = FetchBench.SPEC.name().equals(name);
        boolean pool = PoolBench.SPEC.name().equals(name);
        if (!echo && !fetch && !pool && !SideBySide.specs().containsKey(name)) {
            throw new ParameterException(spec.commandLine(), "unknown benchmark '" + name + "'; known: " + known());
        }
        if (repeat < 1 || repeat > 50) {
            throw new ParameterException(spec.commandLine(), "--repeat must be between 1 and 50, got " + repeat);
        }
        System.err.printf("weft bench %s: %s%n", name, echo ? EchoBench.SPEC.description()
                : fetch ? FetchBench.SPEC.description() : pool ? PoolBench.SPEC.description()
                : SideBySide.specs().get(name).description());
        Result r = echo ? EchoBench.run(repeat, System.err) : fetch ? FetchBench.run(repeat, System.err)
                : pool ? PoolBench.run(repeat, System.err) : SideBySide.run(name, repeat, System.err);
        print(r, out);
        if (json) {
            out.println(SideBySide.json(r));
        }
        out.flush();
        return 0;
    }

    private static List<String> known() {
        List<String> all = new ArrayList<>(SideBySide.specs().keySet());
        all.add(EchoBench.SPEC.name());
        all.add(FetchBench.SPEC.name());
        all.add(PoolBench.SPEC.name());
        all.addAll(Jmh.specs().keySet());
        return all;
    }

    /** The systems that are not Weft: what Weft is compared with. */
    private static final java.util.Set<String> ANCHORS = java.util.Set.of("raw_vthreads", "asyncio", "uvloop", "aiohttp",
            "aiohttp_uvloop", "multiprocessing");

    static void print(Result r, PrintWriter out) {
        List<String> systems = new ArrayList<>(r.bySystem().keySet());
        List<String> header = new ArrayList<>(List.of("metric", "unit"));
        header.addAll(systems);
        List<String> anchors = systems.stream().filter(ANCHORS::contains).toList();
        // Weft's systems compared with the anchors: "weft" where there is one (its variants are shown only)
        List<String> compared = systems.contains("weft") ? List.of("weft")
                : systems.stream().filter(s -> !ANCHORS.contains(s)).toList();
        compared.forEach(w -> anchors.forEach(a -> header.add(w + " vs " + a)));
        Table t = new Table(header.toArray(String[]::new));
        for (Metric m : r.spec().metrics()) {
            List<Object> row = new ArrayList<>(List.of(m.name(), m.unit() + (m.higherIsBetter() ? " (higher better)" : " (lower better)")));
            systems.forEach(s -> row.add(format(r.bySystem().get(s).get(m.name()))));
            compared.forEach(w -> anchors.forEach(a -> row.add(String.format(Locale.ROOT, "%.2fx", SideBySide.advantage(m,
                    r.bySystem().get(w).get(m.name()), r.bySystem().get(a).get(m.name()))))));
            t.row(row.toArray());
        }
        t.print(out);
        out.println("(W vs X: how many times better Weft's W is than X"
                + (systems.contains("weft_1carrier") ? "; weft_1carrier: -Djdk.virtualThreadScheduler.parallelism=1)" : ")"));
        r.notes().forEach(n -> out.println("note: " + n));
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
