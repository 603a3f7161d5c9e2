package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class SideBySideTest {
    @Test
    void advantageIsHowManyTimesBetterWhicheverWayIsBetter() {
        assertThat(SideBySide.advantage(new SideBySide.Metric("m", "u", true), 300, 100)).isEqualTo(3.0);
        assertThat(SideBySide.advantage(new SideBySide.Metric("m", "u", false), 1, 2)).isEqualTo(2.0);
    }

    @Test
    void theWeftSideOfEachBenchmarkRunsAndMeasuresAtTheSizesItIsGiven() {
        for (String name : SideBySide.specs().keySet()) {
            assertThat(Workloads.run(name, Sizes.of(name, Sizes.Scale.SMALL)).values()).as(name).allMatch(v -> v > 0);
        }
    }

    @Test
    void everyBenchmarkHasItsAnchorInThePythonScript() throws IOException {
        String script;
        try (InputStream in = Objects.requireNonNull(SideBySide.class.getResourceAsStream("loop_bench.py"))) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String name : SideBySide.specs().keySet()) {
            assertThat(script).as("loop_bench.py defines the %s workload", name).contains("async def " + name + "(");
        }
    }
}
