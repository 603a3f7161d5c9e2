package dev.weft.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weft lab}: the lesson told with numbers measured on this machine. I/O-bound ({@link IoLab}),
 * CPU-bound ({@link CpuLab}) and mixed ({@link MixedLab}) work, each run under the models that could
 * serve it, a table and the advisor's verdict per case, then the answer to the lesson's question; one
 * trace of everything, with its HTML timeline.
 */
@Command(name = "lab", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows which execution model a workload needs, by running it each way and measuring:",
            "I/O-bound calls, a CPU-bound job, and both mixed; then answers the lesson's question."})
final class LabCommand implements Callable<Integer> {
    /** A row that waits for the calls one after another longer than this is skipped, unless --yes. */
    static final Duration MAX_SEQUENTIAL = Duration.ofSeconds(60);
    private static final String ALL = "all";
    private static final List<String> CASES = List.of("io", "cpu", "mixed");
    private static final Map<String, String> TITLES = Map.of("io", "I/O-bound", "cpu", "CPU-bound", "mixed", "Mixed");

    @Spec
    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    CommandSpec spec;

    @Option(names = "--quick", description = "Small sizes and 2 runs per row: done in a few seconds.")
    boolean quick;

    @Option(names = "--case", defaultValue = ALL, description = "io, cpu, mixed or all (default: ${DEFAULT-VALUE}).")
    String which = ALL;

    @Option(names = "--calls", paramLabel = "N", description = "API calls, 1 to 10000 (default: 50, --quick 10).")
    Optional<Integer> calls = Optional.empty();

    @Option(names = "--latency-ms", paramLabel = "MS",
            description = "Latency of each call, 0 to 10000 ms (default: 100, --quick 30).")
    Optional<Long> latencyMs = Optional.empty();

    @Option(names = "--repeats", paramLabel = "N",
            description = "Runs of each fast row, 1 to 20 (default: 3, --quick 2); slow rows run once.")
    Optional<Integer> repeats = Optional.empty();

    @Option(names = "--primes-below", paramLabel = "N", description = "Size of the CPU work: count the primes"
            + " below N, 1000 to 20000000 (default: 1500000, --quick 200000).")
    Optional<Integer> primesBelow = Optional.empty();

    @Option(names = "--trace", paramLabel = "PATH", defaultValue = "weft-lab-trace.json",
            description = "Where to write the trace; the HTML timeline goes beside it (default: ${DEFAULT-VALUE}).")
    Path trace = Path.of("weft-lab-trace.json");

    @Option(names = "--yes", description = "Run rows that wait one call after another even when they would take"
            + " over a minute (otherwise they are skipped, with a note).")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        int n = bounded("--calls", calls, quick ? 10 : 50, 1, 10_000);
        long latency = bounded("--latency-ms", latencyMs, quick ? 30L : 100L, 0L, 10_000L);
        int runs = bounded("--repeats", repeats, quick ? 2 : 3, 1, 20);
        int primes = bounded("--primes-below", primesBelow, quick ? 200_000 : 1_500_000, 1_000, 20_000_000);
        if (!which.equals(ALL) && !CASES.contains(which)) {
            throw usage("--case must be io, cpu, mixed or all, got '" + which + "'");
        }
        checkTrace();
        List<String> cases = which.equals(ALL) ? CASES : List.of(which);
        PrintWriter out = spec.commandLine().getOut();
        // the watchdog marks turns longer than half a call in the trace: a blocking call's turn is one
        Duration stall = Duration.ofMillis(Math.clamp(latency / 2, 1, 100));
        try (Lab lab = new Lab(out, new Progress(spec.commandLine().getErr(), Progress.onTerminal()), runs, stall)) {
            List<LabRow> io = List.of();
            List<LabRow> cpu = List.of();
            for (int k = 0; k < cases.size(); k++) {
                String name = cases.get(k);
                lab.step("[" + (k + 1) + "/" + cases.size() + "] " + TITLES.get(name));
                switch (name) {
                    case "io" -> io = IoLab.run(lab, n, latency, yes ? Long.MAX_VALUE : MAX_SEQUENTIAL.toNanos());
                    case "cpu" -> cpu = CpuLab.run(lab, primes);
                    default -> MixedLab.run(lab, n, latency, primes);
                }
            }
            lab.status("writing the trace");
            Path timeline = lab.trace().write(trace);
            PrintWriter o = lab.out();
            if (!io.isEmpty()) {
                o.println(LabAnswer.of(n, io, cpu));
                o.println();
            }
            o.println("trace: " + trace);
            o.println("timeline: " + timeline);
            o.flush();
        }
        return 0;
    }

    private <T extends Comparable<T>> T bounded(String option, Optional<T> given, T byDefault, T min, T max) {
        T v = given.orElse(byDefault);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw usage(option + " must be from " + min + " to " + max + ", got " + v);
        }
        return v;
    }

    private void checkTrace() {
        Path dir = trace.toAbsolutePath().getParent();
        if (Files.isDirectory(trace)) {
            throw usage("--trace " + trace + " is a directory: name a file, like " + trace.resolve("lab.json"));
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw usage("--trace " + trace + ": no such directory " + dir + "; create it or name another file");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
