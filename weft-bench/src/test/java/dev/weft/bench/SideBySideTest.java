package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SideBySideTest {
    @Test
    void jsonIsOneObjectWithEachMetricsUnitDirectionAndSystems() {
        SideBySide.Spec spec = SideBySide.specs().get("sleepers");
        Map<String, Map<String, Double>> by = new LinkedHashMap<>();
        by.put("weft", Map.of("wall_s", 2.5, "rss_mib", 100.0));
        by.put("uvloop", Map.of("wall_s", 5.0, "rss_mib", 200.0));
        String json = SideBySide.json(new SideBySide.Result(spec, by, List.of()));
        assertThat(json).isEqualTo("{\"bench\": \"sleepers\", \"metrics\": {"
                + "\"wall_s\": {\"unit\": \"s\", \"higher_is_better\": false, \"weft\": 2.50000, \"uvloop\": 5.00000}, "
                + "\"rss_mib\": {\"unit\": \"MiB\", \"higher_is_better\": false, \"weft\": 100.000, \"uvloop\": 200.000}}}");
    }

    @Test
    void advantageIsHowManyTimesBetterWhicheverWayIsBetter() {
        assertThat(SideBySide.advantage(new SideBySide.Metric("m", "u", true), 300, 100)).isEqualTo(3.0);
        assertThat(SideBySide.advantage(new SideBySide.Metric("m", "u", false), 1, 2)).isEqualTo(2.0);
    }

    @Test
    void theWeftSideOfEachBenchmarkRunsAndMeasures() {
        assertThat(Workloads.run("switch").get("switches")).isPositive();
        assertThat(Workloads.run("queue").get("items")).isPositive();
        assertThat(Workloads.run("lock").get("acquisitions")).isPositive();
    }

    @Test
    void everyBenchmarkHasItsAnchorInThePythonScript() throws java.io.IOException {
        String script;
        try (var in = SideBySide.class.getResourceAsStream("loop_bench.py")) {
            script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        for (String name : SideBySide.specs().keySet()) {
            assertThat(script).as("loop_bench.py defines the %s workload", name).contains("async def " + name + "():");
        }
    }
}
