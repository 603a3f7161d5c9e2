package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.testing.MockApi;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FetchBenchTest {
    /** A GET answered after 30 ms, 10 at a time: a round of 50 takes at least 150 ms. */
    private static final Sizes LATENCY_BOUND = FetchBench.clientSizes(50, 10, 30, 3);
    /** 500 GETs answered at once: a round costs well over a tick (10 ms) of CPU. */
    private static final Sizes CPU_BOUND = FetchBench.clientSizes(500, 50, 0, 3);

    @Test
    void theDescriptionNamesOnlyFetchSizes() {
        for (Sizes.Scale scale : Sizes.Scale.values()) {
            assertThat(Sizes.of("fetch", scale).fill(FetchBench.SPEC.description())).doesNotContain("{");
        }
    }

    @Test
    void weftsClientWaitsTheLatencyItAsksForAndReportsItsCpuPerRequest() throws Exception {
        try (MockApi.Background api = MockApi.builder().buildInBackground()) {
            assertSane(FetchBench.client(api.baseUrl(), LATENCY_BOUND), LATENCY_BOUND);
            assertSane(FetchBench.client(api.baseUrl(), CPU_BOUND), CPU_BOUND);
        }
    }

    @Test
    void aiohttpsClientReportsTheSameMetricsTheSameWay() throws Exception {
        Anchors anchors = new Anchors(false, new PrintStream(OutputStream.nullOutputStream()));
        List<String> notes = new ArrayList<>();
        assumeTrue(anchors.python(notes) && anchors.aiohttp(notes), "aiohttp is needed: " + notes);
        try (MockApi.Background api = MockApi.builder().buildInBackground()) {
            for (Sizes sizes : List.of(LATENCY_BOUND, CPU_BOUND)) {
                assertSane(SideBySide.runOnce(SideBySide.python(anchors, SideBySide.extractScript("fetch_client.py"),
                        List.of(api.baseUrl(), "asyncio"), sizes.args())), sizes);
            }
        }
    }

    private static void assertSane(Map<String, Double> m, Sizes sizes) {
        assertThat(m).containsOnlyKeys("requests", "wall_s", "first_wall_s", "cpu_s_per_10k");
        double wall = m.getOrDefault("wall_s", Double.NaN);
        int requests = sizes.get("requests");
        assertThat(m.get("requests")).isCloseTo(requests / wall, within(1e-6 * requests / wall));
        // the mock API answered after the latency the client asked for in the query: no faster than the ideal
        assertThat(wall).isGreaterThanOrEqualTo((double) requests / sizes.get("concurrency") * sizes.get("latency_ms")
                / 1000);
        assertThat(m.get("first_wall_s")).isPositive();
        double cpu = m.getOrDefault("cpu_s_per_10k", Double.NaN);
        if (sizes.get("latency_ms") == 0) {
            // seconds per 10,000 requests: between 1 µs and 10 ms of CPU a request (not ms, not per request)
            assertThat(cpu).as("cpu_s_per_10k").isBetween(0.01, 100.0);
        } else {
            assertThat(cpu).as("cpu_s_per_10k").isBetween(0.0, 100.0); // a round may take less than a tick
        }
    }
}
