package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's performance tables are what {@code weft bench report} makes of the saved runs: no hand edits. */
class ReadmeTablesTest {
    private static final Path RESULTS = Path.of("results");
    private static final Path README = Path.of("..", "README.md");

    @Test
    void everyBenchSectionOfTheReadmeIsGeneratedFromItsSavedRun() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        List<Report.Run> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(RESULTS)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                runs.add(Report.parse(Files.readString(f, StandardCharsets.UTF_8)));
            }
        }
        List<String> sections = new ArrayList<>();
        Matcher m = Pattern.compile("<!-- bench:([a-z_]+) -->").matcher(readme);
        while (m.find()) {
            sections.add(m.group(1));
        }
        assertThat(runs.stream().map(r -> r.result().spec().name()).toList())
                .as("a saved run in weft-bench/results/ for each <!-- bench:NAME --> of the README")
                .containsExactlyInAnyOrderElementsOf(sections);
        assertThat(Report.rewrite(readme, runs))
                .as("the README's tables, as weft-bench/readme-tables.sh (or weft bench report --readme) writes them")
                .isEqualTo(readme);
    }
}
