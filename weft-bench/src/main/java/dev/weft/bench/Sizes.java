package dev.weft.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The workload sizes of the side-by-side benchmarks: the one place they are set. Each benchmark's
 * Java child process and its Python anchor get them as command-line arguments ({@code --NAME VALUE},
 * see {@link #args()}); neither side has a size of its own, and both fail when one is missing.
 */
public final class Sizes {
    /** Which column of the table: {@code FULL} for the README's numbers, {@code SMALL} to check the pipeline in seconds. */
    public enum Scale {
        FULL, SMALL
    }

    private record Row(String bench, String name, long full, long small) {}

    private static final List<Row> TABLE = List.of(
            new Row("switch", "tasks", 100, 10),
            new Row("switch", "yields", 10_000, 1_000),
            new Row("spawn", "tasks", 1_000_000, 10_000),
            new Row("sleepers", "tasks", 1_000_000, 10_000),
            new Row("sleepers", "sleep_ms", 1_000, 100),
            new Row("queue", "capacity", 100, 100),
            new Row("queue", "producers", 4, 4),
            new Row("queue", "consumers", 4, 4),
            new Row("queue", "items", 400_000, 40_000),
            new Row("lock", "tasks", 100, 10),
            new Row("lock", "rounds", 10_000, 1_000),
            new Row("echo", "connections", 100, 10),
            new Row("echo", "size", 1_024, 1_024),
            new Row("echo", "warmup_ms", 2_000, 200),
            new Row("echo", "measure_ms", 5_000, 500),
            new Row("fetch", "requests", 10_000, 1_000),
            new Row("fetch", "concurrency", 500, 100),
            new Row("fetch", "latency_ms", 50, 10),
            new Row("fetch", "rounds", 8, 3),
            // the CPU-bound workload (answered at once): what each request costs the client
            new Row("fetch", "cpu_gets", 10_000, 2_000),
            new Row("fetch", "cpu_concurrency", 100, 100),
            new Row("pool", "squares", 1_000_000, 10_000),
            new Row("pool", "roundtrips", 2_000, 100),
            new Row("pool", "map_rounds", 3, 1),
            new Row("pool", "chunks", 8, 8),
            // CPython counts primes about 10 times slower: its job is smaller, so both take a second or two one after another
            new Row("pool", "primes_below", 6_000_000, 60_000),
            new Row("pool", "python_primes_below", 600_000, 6_000),
            new Row("cluster", "roundtrips", 10_000, 50), // as many again to warm up: the JIT compiles Weft's path late
            new Row("cluster", "tasks", 100_000, 2_000),
            new Row("cluster", "map_rounds", 3, 1),
            new Row("cluster", "chunks", 8, 4),
            new Row("cluster", "primes_below", 6_000_000, 60_000));

    private final Map<String, Long> values;

    private Sizes(Map<String, Long> values) {
        this.values = values;
    }

    /** The sizes of benchmark {@code bench} at {@code scale}; none for a benchmark without sizes (JMH's). */
    public static Sizes of(String bench, Scale scale) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Row r : TABLE) {
            if (r.bench().equals(bench)) {
                m.put(r.name(), scale == Scale.FULL ? r.full() : r.small());
            }
        }
        return new Sizes(m);
    }

    /** Sizes given as {@code --NAME VALUE} pairs, as a child process receives them from {@link #args()}. */
    static Sizes parse(List<String> args) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String option = args.get(i);
            if (!option.startsWith("--") || i + 1 == args.size()) {
                throw new IllegalArgumentException("expected --NAME VALUE pairs, got " + args);
            }
            m.put(option.substring(2), Long.parseLong(args.get(i + 1)));
        }
        return new Sizes(m);
    }

    /** The sizes by name, in the table's order. */
    public Map<String, Long> values() {
        return values;
    }

    /** Size {@code name}; fails naming it when it was not given. */
    public int get(String name) {
        Long v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing size --" + name + " (given: " + values.keySet() + ")");
        }
        return Math.toIntExact(v);
    }

    /** The sizes as command-line arguments: {@code --NAME VALUE ...}. */
    public List<String> args() {
        List<String> out = new ArrayList<>();
        values.forEach((k, v) -> {
            out.add("--" + k);
            out.add(String.valueOf(v));
        });
        return out;
    }

    /** {@code template} with each {@code {NAME}} replaced by size NAME, with thousands separators. */
    public String fill(String template) {
        String s = template;
        for (var e : values.entrySet()) {
            s = s.replace("{" + e.getKey() + "}", String.format(Locale.ROOT, "%,d", e.getValue()));
        }
        return s;
    }
}
