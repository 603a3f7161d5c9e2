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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one benchmark for Weft and for the anchors users would pick instead (CPython asyncio, uvloop),
 * in the same run on the same machine, each in its own process, and collects the metrics.
 *
 * <p>Weft runs in a child JVM with default options (and once more with one virtual-thread carrier,
 * labelled {@code weft_1carrier}), after JIT warm-up runs in the same process. Each system is run
 * {@code repeats} times and the median is kept.
 */
public final class SideBySide {
    /** One measured quantity. */
    public record Metric(String name, String unit, boolean higherIsBetter) {}

    /** A benchmark: its workload name in both implementations and its metrics. */
    public record Spec(String name, String description, List<Metric> metrics, int warmups) {}

    /** What one run measured: system -> metric -> median value; plus notes on skipped anchors. */
    public record Result(Spec spec, Map<String, Map<String, Double>> bySystem, List<String> notes) {}

    private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

    static {
        add(new Spec("switch", "100 tasks x 10,000 yields on one loop",
                List.of(new Metric("switches", "switches/s", true)), 3));
        add(new Spec("spawn", "create, run and await 1,000,000 no-op tasks",
                List.of(new Metric("tasks", "tasks/s", true)), 2));
        add(new Spec("sleepers", "1,000,000 tasks each sleeping 1 s at once",
                List.of(new Metric("wall_s", "s", false), new Metric("rss_mib", "MiB", false)), 0));
        add(new Spec("queue", "bounded queue (capacity 100), 4 producers, 4 consumers, 400,000 items, join",
                List.of(new Metric("items", "items/s", true)), 3));
        add(new Spec("lock", "100 tasks x 10,000 acquisitions of one lock, yielding while holding it",
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

    /** Runs benchmark {@code name}; progress lines go to {@code log}. */
    public static Result run(String name, int repeats, PrintStream log) throws IOException, InterruptedException {
        Spec spec = SPECS.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown benchmark '" + name + "'; known: " + SPECS.keySet());
        }
        List<String> notes = new ArrayList<>();
        Map<String, List<String>> systems = new LinkedHashMap<>();
        String warmups = String.valueOf(spec.warmups());
        systems.put("weft", java(List.of(), Probe.class, name, warmups));
        systems.put("weft_1carrier", java(List.of("-Djdk.virtualThreadScheduler.parallelism=1"), Probe.class, name,
                warmups));
        Path script = extractScript("loop_bench.py");
        Anchors anchors = new Anchors(log);
        if (anchors.python(notes)) {
            systems.put("asyncio", List.of(Anchors.PYTHON, script.toString(), name, "asyncio"));
            if (anchors.uvloop(notes)) {
                systems.put("uvloop", List.of(Anchors.PYTHON, script.toString(), name, "uvloop"));
            }
        }
        return new Result(spec, medians(spec, systems, repeats, log, SideBySide::runOnce), notes);
    }

    /** The command that runs {@code main} with {@code args} in a JVM like this one, with {@code options}. */
    static List<String> java(List<String> options, Class<?> main, String... args) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(options);
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(main.getName());
        c.addAll(List.of(args));
        return c;
    }

    /** Measures one run of a system, given its command. */
    interface Measure {
        Map<String, Double> run(List<String> command) throws IOException, InterruptedException;
    }

    /** Runs each system {@code repeats} times with {@code measure}; keeps the median of each metric. */
    static Map<String, Map<String, Double>> medians(Spec spec, Map<String, List<String>> systems, int repeats,
            PrintStream log, Measure measure) throws IOException, InterruptedException {
        Map<String, Map<String, Double>> bySystem = new LinkedHashMap<>();
        for (var e : systems.entrySet()) {
            List<Map<String, Double>> runs = new ArrayList<>();
            for (int i = 0; i < repeats; i++) {
                log.printf("  %s: %s run %d/%d%n", spec.name(), e.getKey(), i + 1, repeats);
                runs.add(measure.run(e.getValue()));
            }
            bySystem.put(e.getKey(), median(spec, runs));
        }
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
                for (String kv : line.substring(7).trim().split(" ")) {
                    String[] parts = kv.split("=", 2);
                    m.put(parts[0], Double.parseDouble(parts[1]));
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

    /** The result as the one-line JSON object of {@code weft bench --json}. */
    public static String json(Result r) {
        StringBuilder sb = new StringBuilder("{\"bench\": \"").append(r.spec().name()).append("\", \"metrics\": {");
        List<Metric> metrics = r.spec().metrics();
        for (int i = 0; i < metrics.size(); i++) {
            Metric m = metrics.get(i);
            sb.append(i == 0 ? "" : ", ").append('"').append(m.name()).append("\": {\"unit\": \"").append(m.unit())
                    .append("\", \"higher_is_better\": ").append(m.higherIsBetter());
            for (var e : r.bySystem().entrySet()) {
                Double v = e.getValue().get(m.name());
                if (v != null && !v.isNaN()) {
                    sb.append(", \"").append(e.getKey()).append("\": ").append(String.format(Locale.ROOT, "%.6g", v));
                }
            }
            sb.append('}');
        }
        return sb.append("}}").toString();
    }

    /** How many times better {@code a} is than {@code b} for metric {@code m} (above 1: a is better). */
    public static double advantage(Metric m, double a, double b) {
        return m.higherIsBetter() ? a / b : b / a;
    }
}
