package dev.weft.bench;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs the JMH hand-off benchmark and turns its scores into a {@link SideBySide.Result}. */
public final class Jmh {
    /** The benchmark name of {@code weft bench}. */
    public static final String HANDOFF = "handoff";

    private Jmh() {}

    public static SideBySide.Result handoff() throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(dev.weft.bench.jmh.HandoffBenchmark.class.getName())
                .build()).run();
        Map<String, Map<String, Double>> bySystem = new LinkedHashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark();
            String system = method.substring(method.lastIndexOf('.') + 1);
            bySystem.put(system.equals("weftYield") ? "weft" : system,
                    Map.of("handoff_ns", r.getPrimaryResult().getScore()));
        }
        SideBySide.Spec spec = new SideBySide.Spec(HANDOFF, "JMH: one hand-off between two tasks",
                List.of(new SideBySide.Metric("handoff_ns", "ns/switch", false)), 0);
        return new SideBySide.Result(spec, bySystem, List.of());
    }
}
