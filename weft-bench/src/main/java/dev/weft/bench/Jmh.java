package dev.weft.bench;

import dev.weft.bench.jmh.ChannelBenchmark;
import dev.weft.bench.jmh.HandoffBenchmark;
import java.io.PrintStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs the JMH benchmarks of {@code weft bench} and turns their scores into {@link SideBySide.Result}s. */
public final class Jmh {
    /** A JMH benchmark: its class, its metric, and which of its methods is reported as "weft". */
    private record Bench(SideBySide.Spec spec, Class<?> type, String weftMethod) {}

    private static final Map<String, Bench> BENCHES = new LinkedHashMap<>();

    static {
        add(new Bench(new SideBySide.Spec("handoff", "JMH: one hand-off between two tasks, beside raw"
                + " virtual-thread hand-offs", List.of(new SideBySide.Metric("handoff_ns", "ns/switch", false)), 0),
                HandoffBenchmark.class, "weftYield"));
        add(new Bench(new SideBySide.Spec("channel", "JMH: one item through a channel between two tasks, beside"
                + " SynchronousQueue and ArrayBlockingQueue between virtual threads",
                List.of(new SideBySide.Metric("item_ns", "ns/item", false)), 0),
                ChannelBenchmark.class, "weftBuffered16"));
    }

    private static void add(Bench b) {
        BENCHES.put(b.spec().name(), b);
    }

    private Jmh() {}

    /** The JMH benchmarks, by name. */
    public static Map<String, SideBySide.Spec> specs() {
        Map<String, SideBySide.Spec> m = new LinkedHashMap<>();
        BENCHES.forEach((k, v) -> m.put(k, v.spec()));
        return m;
    }

    /**
     * Runs JMH benchmark {@code name}, one of {@link #specs()}; at {@code SMALL} scale, one short iteration
     * of each method. JMH's progress goes to {@code log}.
     */
    public static SideBySide.Result run(String name, Sizes.Scale scale, PrintStream log) throws RunnerException {
        Bench b = BENCHES.get(name);
        if (b == null) {
            throw new IllegalArgumentException("unknown JMH benchmark '" + name + "'; known: " + BENCHES.keySet());
        }
        ChainedOptionsBuilder options = new OptionsBuilder().include(b.type().getName() + "\\.");
        if (scale == Sizes.Scale.SMALL) {
            TimeValue brief = TimeValue.milliseconds(200);
            options.warmupIterations(1).warmupTime(brief).measurementIterations(1).measurementTime(brief);
        }
        Collection<RunResult> results = new Runner(options.build(),
                OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL)).run();
        String metric = b.spec().metrics().get(0).name();
        Map<String, Map<String, Double>> bySystem = new LinkedHashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            String system = method.substring(method.lastIndexOf('.') + 1);
            bySystem.put(system.equals(b.weftMethod()) ? "weft" : system, Map.of(metric, r.getPrimaryResult().getScore()));
        }
        return new SideBySide.Result(b.spec(), Sizes.of(name, scale), bySystem, List.of());
    }
}
