package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static String resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(ReportTest.class.getResourceAsStream(name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSavedRunReadsBackAndWritesTheSameJson() throws IOException {
        String json = resource("switch.json");
        assertThat(Report.json(Report.parse(json))).isEqualTo(json);
    }

    @Test
    void theMarkdownOfARunIsItsTableWithWhereAndWhenItRan() throws IOException {
        assertThat(Report.markdown(Report.parse(resource("switch.json")))).isEqualTo(resource("switch.md"));
    }

    @Test
    void rewriteReplacesOnlyTheRunsSection() throws IOException {
        Report.Run run = Report.parse(resource("switch.json"));
        String readme = """
                # Title
                <!-- bench:spawn -->
                kept
                <!-- /bench:spawn -->
                <!-- bench:switch -->
                old table
                <!-- /bench:switch -->
                after
                """;
        assertThat(Report.rewrite(readme, List.of(run))).isEqualTo(readme.replace("old table\n", resource("switch.md")));
        assertThatThrownBy(() -> Report.rewrite("# no sections\n", List.of(run)))
                .hasMessageContaining("no section <!-- bench:switch -->");
    }

    @Test
    void aBrokenDocumentFailsSayingWhere() {
        assertThatThrownBy(() -> Report.parse("{\"bench\": ")).hasMessageContaining("offset 10");
        assertThatThrownBy(() -> Report.parse("{\"bench\": \"switch\"}")).hasMessageContaining("\"metrics\"");
    }
}
