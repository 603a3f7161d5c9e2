package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void theSizesTravelAsArgumentsAndComeBackTheSame() {
        Sizes full = Sizes.of("queue", Sizes.Scale.FULL);
        assertThat(full.args()).containsExactly("--capacity", "100", "--producers", "4", "--consumers", "4", "--items",
                "400000");
        assertThat(Sizes.parse(full.args()).values()).isEqualTo(full.values());
        assertThat(full.fill("{items} items, {capacity} at most")).isEqualTo("400,000 items, 100 at most");
        assertThat(Sizes.of("queue", Sizes.Scale.SMALL).get("items")).isLessThan(full.get("items"));
    }

    @Test
    void aMissingSizeFailsNamingIt() {
        Sizes lock = Sizes.parse(List.of("--tasks", "3"));
        assertThatThrownBy(() -> lock.get("rounds")).hasMessageContaining("missing size --rounds");
        assertThatThrownBy(() -> Sizes.parse(List.of("--tasks"))).hasMessageContaining("--NAME VALUE");
    }

    @Test
    void thePythonAnchorsRunAtTheSizesTheyAreGiven() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(Anchors.PYTHON)), Anchors.PYTHON + " is needed for the anchors");
        Path script = SideBySide.extractScript("loop_bench.py");
        for (String name : SideBySide.specs().keySet()) {
            List<String> c = new ArrayList<>(List.of(Anchors.PYTHON, script.toString(), name, "asyncio"));
            c.addAll(Sizes.of(name, Sizes.Scale.SMALL).args());
            assertThat(SideBySide.runOnce(c).values()).as(name).allMatch(v -> v > 0);
        }
    }

    @Test
    void thePythonAnchorsFailNamingAMissingSize() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(Anchors.PYTHON)), Anchors.PYTHON + " is needed for the anchors");
        for (var scriptAndArgs : List.of(List.of("loop_bench.py", "switch", "asyncio", "--tasks", "3"),
                List.of("fetch_client.py", "http://127.0.0.1:1", "asyncio", "--requests", "1", "--concurrency", "1"),
                List.of("pool_bench.py", "--squares", "1", "--roundtrips", "1", "--map_rounds", "1", "--chunks", "1"))) {
            List<String> c = new ArrayList<>(List.of(Anchors.PYTHON,
                    SideBySide.extractScript(scriptAndArgs.get(0)).toString()));
            c.addAll(scriptAndArgs.subList(1, scriptAndArgs.size()));
            Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isEqualTo(2);
            assertThat(out).as(scriptAndArgs.get(0)).contains("the following arguments are required: --");
        }
    }

}
