package dev.weft.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnchorsTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private Anchors anchors(String python) {
        return new Anchors(python, false, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Test
    void aMissingModuleIsSkippedWithTheCommandThatInstallsItAndNothingIsInstalled() throws Exception {
        Anchors anchors = anchors("/bin/false"); // an interpreter that can import nothing
        List<String> notes = new ArrayList<>();
        assertThat(anchors.python(notes)).isTrue();
        assertThat(anchors.uvloop(notes)).isFalse();
        assertThat(anchors.aiohttp(notes)).isFalse();
        assertThat(notes).containsExactly(
                "uvloop skipped: python3-uvloop is not installed; install the anchors with: "
                        + "sudo apt-get install -y python3-uvloop python3-aiohttp (or run again with --install-anchors)",
                "aiohttp skipped: python3-aiohttp is not installed; install the anchors with: "
                        + "sudo apt-get install -y python3-uvloop python3-aiohttp (or run again with --install-anchors)");
        assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(anchors.versions()).containsEntry("uvloop", "not installed").containsEntry("python", "not installed");
    }

    @Test
    void aMissingInterpreterIsSkippedWithTheCommandThatInstallsIt() throws Exception {
        List<String> notes = new ArrayList<>();
        assertThat(anchors("/nonexistent/python3").python(notes)).isFalse();
        assertThat(notes).singleElement().asString().contains("/nonexistent/python3 not found")
                .contains("sudo apt-get install -y python3");
        assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
