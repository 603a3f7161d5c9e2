package dev.weft.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs one benchmark for Weft and for the anchors users would pick instead (CPython asyncio, uvloop),
 * in the same run on the same machine, each in its own process, and collects the metrics.
 *
 * <p>Weft runs in a child JVM with {@code java.lang} open to it, so each loop has a carrier thread of
 * its own, and once more with its loops on the JDK's shared scheduler ({@code -Dweft.carrier=shared},
 * labelled {@code weft_shared}); for {@code switch} once more with a trace recorder attached
 * ({@code weft_traced}); each after JIT warm-up runs in the same process. Each system is run
 * {@code repeats} times and the median is kept.
 */
public final class SideBySide {
    /** One measured quantity. */
    public record Metric(String name, String unit, boolean higherIsBetter) {}

    /**
     * A benchmark: its workload name in both implementations, its description with {@code {SIZE}}
     * placeholders for its {@link Sizes}, its metrics, and the warm-up runs of Weft's child JVM.
     */
    public record Spec(String name, String description, List<Metric> metrics, int warmups) {}

    /** What one run measured at {@code sizes}: system -> metric -> median value; plus notes (skipped anchors...). */
    public record Result(Spec spec, Sizes sizes, Map<String, Map<String, Double>> bySystem, List<String> notes) {
        /** The spec's description with the sizes filled in. */
        public String description() {
            return sizes.fill(spec.description());
        }
    }

    private static final Map<String, Spec> SPECS = new LinkedHashMap<>();
    /** The system of the {@code switch} benchmark that runs Weft with a trace recorder attached. */
    public static final String TRACED = "weft_traced";
    /** The system that runs Weft's loops on the JDK's shared virtual-thread scheduler. */
    public static final String SHARED = "weft_shared";
    /** The JVM option that makes {@link #SHARED}. */
    static final String SHARED_OPTION = "-Dweft.carrier=shared";

    static {
        add(new Spec("switch", "{tasks} tasks x {yields} yields on one loop",
                List.of(new Metric("switches", "switches/s", true)), 3));
        add(new Spec("spawn", "create, run and await {tasks} no-op tasks",
                List.of(new Metric("tasks", "tasks/s", true)), 2));
        add(new Spec("sleepers", "{tasks} tasks each sleeping {sleep_ms} ms at once",
                List.of(new Metric("wall_s", "s", false), new Metric("rss_mib", "MiB", false)), 0));
        add(new Spec("queue", "bounded queue (capacity {capacity}), {producers} producers, {consumers} consumers,"
                + " {items} items, join", List.of(new Metric("items", "items/s", true)), 3));
        add(new Spec("lock", "{tasks} tasks x {rounds} acquisitions of one lock, yielding while holding it",
                List.of(new Metric("acquisitions", "acquisitions/s", true)), 3));
    }

    private static void add(Spec s) {
        SPECS.put(s.name(), s);
    }

    private SideBySide() {}

    /** The benchmarks, by name. */
    public static Map<String, Spec> specs() {
        return SPECS;
    }

    /** Runs benchmark {@code name} at {@code scale}; progress lines go to {@code log}. */
    public static Result run(String name, Sizes.Scale scale, int repeats, Anchors anchors, PrintStream log)
            throws IOException, InterruptedException {
        Spec spec = SPECS.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown benchmark '" + name + "'; known: " + SPECS.keySet());
        }
        Sizes sizes = Sizes.of(name, scale);
        List<String> notes = new ArrayList<>();
        Map<String, List<String>> systems = new LinkedHashMap<>();
        List<String> probe = new ArrayList<>(List.of(name, String.valueOf(spec.warmups())));
        probe.addAll(sizes.args());
        systems.put("weft", java(List.of(), Probe.class, probe));
        systems.put(SHARED, java(List.of(SHARED_OPTION), Probe.class, probe));
        if (name.equals("switch")) {
            List<String> traced = new ArrayList<>(probe);
            traced.set(0, Workloads.TRACED_SWITCH);
            systems.put(TRACED, java(List.of(), Probe.class, traced));
        }
        if (anchors.python(notes)) {
            Path script = extractScript("loop_bench.py");
            systems.put("asyncio", python(anchors, script, List.of(name, "asyncio"), sizes.args()));
            if (anchors.uvloop(notes)) {
                systems.put("uvloop", python(anchors, script, List.of(name, "uvloop"), sizes.args()));
            }
        }
        Map<String, Map<String, Double>> bySystem = medians(spec, systems, repeats, log, SideBySide::runOnce);
        if (bySystem.containsKey(TRACED)) {
            notes.add(tracingCost(bySystem));
        }
        return new Result(spec, sizes, bySystem, notes);
    }

    private static double switches(Map<String, Map<String, Double>> bySystem, String system) {
        return Objects.requireNonNull(Objects.requireNonNull(bySystem.get(system), system).get("switches"), "switches");
    }

    /** What the recorder of {@link #TRACED} cost, against the target. */
    private static String tracingCost(Map<String, Map<String, Double>> bySystem) {
        double plain = switches(bySystem, "weft");
        double traced = switches(bySystem, TRACED);
        return String.format(java.util.Locale.ROOT, "%s switches at %.0f%% of weft's rate: recording costs %.0f%%"
                + " (target: at most 25%%)", TRACED, 100 * traced / plain, 100 * (1 - traced / plain));
    }

    /** The command that runs {@code script} with the anchors' interpreter, with {@code args}, then {@code sizes}. */
    static List<String> python(Anchors anchors, Path script, List<String> args, List<String> sizes) {
        List<String> c = new ArrayList<>(List.of(anchors.interpreter(), script.toString()));
        c.addAll(args);
        c.addAll(sizes);
        return c;
    }

    /**
     * The command that runs {@code main} with {@code args} in a JVM like this one, with
     * {@code java.lang} open to Weft and {@code options}.
     */
    static List<String> java(List<String> options, Class<?> main, List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.add(dev.weft.bench.jmh.HandoffBenchmark.OPENS);
        c.addAll(options);
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(main.getName());
        c.addAll(args);
        return c;
    }

    /** Measures one run of a system, given its command. */
    interface Measure {
        Map<String, Double> run(List<String> command) throws IOException, InterruptedException;
    }

    /**
     * Runs each system {@code repeats} times with {@code measure}, the systems in turn within each
     * round; keeps the median of each metric.
     */
    static Map<String, Map<String, Double>> medians(Spec spec, Map<String, List<String>> systems, int repeats,
            PrintStream log, Measure measure) throws IOException, InterruptedException {
        Map<String, List<Map<String, Double>>> runs = new LinkedHashMap<>();
        for (int i = 0; i < repeats; i++) { // round robin: a slow spell of the machine hits every system alike
            for (var e : systems.entrySet()) {
                log.printf("  %s: %s run %d/%d%n", spec.name(), e.getKey(), i + 1, repeats);
                runs.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(measure.run(e.getValue()));
            }
        }
        Map<String, Map<String, Double>> bySystem = new LinkedHashMap<>();
        runs.forEach((system, each) -> bySystem.put(system, median(spec, each)));
        return bySystem;
    }

    private static Map<String, Double> median(Spec spec, List<Map<String, Double>> runs) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Metric m : spec.metrics()) {
            double[] v = runs.stream().mapToDouble(r -> r.getOrDefault(m.name(), Double.NaN)).sorted().toArray();
            out.put(m.name(), v[v.length / 2]);
        }
        return out;
    }

    static Map<String, Double> runOnce(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (var r = p.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("benchmark process timed out: " + command);
        }
        for (String line : lines) {
            if (line.startsWith("result ")) {
                Map<String, Double> m = new LinkedHashMap<>();
                for (String kv : line.substring(7).strip().split(" +", -1)) {
                    int eq = kv.indexOf('=');
                    m.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
                }
                return m;
            }
        }
        throw new IOException("benchmark process exited with " + p.exitValue() + " and no result line: "
                + String.join(" ", command.subList(0, Math.min(3, command.size()))) + "\n" + String.join("\n", lines));
    }

    /** Copies a Python script of this package to a temporary file, for the interpreter to run. */
    static Path extractScript(String resource) throws IOException {
        Path f = Files.createTempFile("weft-bench-", ".py");
        f.toFile().deleteOnExit();
        try (InputStream in = SideBySide.class.getResourceAsStream(resource)) {
            Files.write(f, in.readAllBytes());
        }
        return f;
    }

    /** How many times better {@code a} is than {@code b} for metric {@code m} (above 1: a is better). */
    public static double advantage(Metric m, double a, double b) {
        return m.higherIsBetter() ? a / b : b / a;
    }
}
