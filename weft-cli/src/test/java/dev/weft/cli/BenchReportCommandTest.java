package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.bench.Machine;
import dev.weft.bench.Report;
import dev.weft.bench.SideBySide;
import dev.weft.bench.Sizes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportCommandTest extends CliHarness {
    
    @TempDir
    Path dir;


    private Path savedLockRun() throws IOException {
        SideBySide.Result result = new SideBySide.Result(Objects.requireNonNull(SideBySide.specs().get("lock")), Sizes.of("lock", Sizes.Scale.FULL),
                Map.of("weft", Map.of("acquisitions", 1_000_000.0), "uvloop", Map.of("acquisitions", 250_000.0)),
                List.of());
        Machine machine = new Machine("2026-12-01T10:00:00Z", "abc1234", 2, "24 GiB", "Linux", "JDK 25", "Xeon", Map.of());
        return Files.writeString(dir.resolve("lock.json"), Report.json(new Report.Run(result, Sizes.Scale.FULL, 3, machine)));
    }

    @Test
    void reportPrintsTheTablesOfSavedRuns() throws IOException {
        assertThat(run("bench", "report", savedLockRun().toString())).isZero();
        assertThat(out.toString()).contains("`lock`: 100 tasks x 10,000 acquisitions of one lock")
                .contains("| acquisitions | acquisitions/s (higher better) |").contains("| 4.00x |")
                .contains("commit `abc1234`");
    }

    @Test
    void reportRewritesTheReadmeSectionsOfItsRuns() throws IOException {
        Path readme = Files.writeString(dir.resolve("README.md"), "intro\n<!-- bench:lock -->\nstale table\n<!-- /bench:lock -->\nend\n");
        assertThat(run("bench", "report", "--readme", readme.toString(), savedLockRun().toString())).isZero();
        assertThat(Files.readString(readme)).startsWith("intro\n<!-- bench:lock -->\n`lock`: ").doesNotContain("stale table")
                .endsWith("<!-- /bench:lock -->\nend\n");
    }

    @Test
    void aReadmeWithoutTheSectionOrABadFileIsAUsageError() throws IOException {
        Path readme = Files.writeString(dir.resolve("README.md"), "no sections\n");
        assertThat(run("bench", "report", "--readme", readme.toString(), savedLockRun().toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no section <!-- bench:lock -->");
        assertThat(Files.readString(readme)).isEqualTo("no sections\n");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"bench\": ");
        assertThat(run("bench", "report", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad.json: bad JSON at offset 10");
    }
}
