package dev.weft.trace;

import static dev.weft.trace.Json.member;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTML timeline's file, read as text: its embedded data, escaping and bounds (the browser test draws it). */
class HtmlTimelineTest {
    private final Recorder recorder = Recorder.create();
    private final long base = recorder.origin() + 2_000_000; // 2 ms after the origin

    @Test
    void slicesAreEmbeddedInMicrosecondsFromTheOriginWithTheirLabels() throws IOException {
        Track task = recorder.track("loop 1 (main)", "fetch #2");
        task.ran(base, base + 1_500);
        task.waited(base + 1_500, base + 3_001_500, "sleep");
        task.marked(base + 3_001_500, "stall", "at Fetch.run");
        Track worker = recorder.track("pool", "worker-1");
        worker.worked(base, base + 1_000_000, "crunch", "java.lang.ArithmeticException: / by zero");

        Map<String, Object> data = data(write());
        List<Object> str = list(member(data, "str"));
        assertThat(member(data, "t0")).isEqualTo(new BigDecimal("2000"));
        assertThat(member(data, "t1")).isEqualTo(new BigDecimal("5001.5"));
        List<Map<String, Object>> groups = maps(member(data, "groups"));
        assertThat(groups).extracting(g -> member(g, "name")).containsExactly("loop 1 (main)", "pool");
        Map<String, Object> lane = lanes(data, 0).getFirst();
        assertThat(member(lane, "name")).isEqualTo("fetch #2");
        List<List<Object>> rows = lists(member(lane, "s"));
        assertThat(rows.get(0)).containsExactly(bd(0), bd(2000), bd("1.5"));
        assertThat(rows.get(1)).containsExactly(bd(1), bd("2001.5"), bd(3000), bd(str.indexOf("sleep")));
        assertThat(rows.get(2)).containsExactly(bd(4), bd("5001.5"), bd(0), bd(str.indexOf("stall")),
                bd(str.indexOf("at Fetch.run")));
        List<Object> job = lists(member(lanes(data, 1).getFirst(), "s")).getFirst();
        assertThat(job).containsExactly(bd(3), bd(2000), bd(1000), bd(str.indexOf("crunch")),
                bd(str.indexOf("java.lang.ArithmeticException: / by zero")));
    }

    @Test
    void userTextCannotEndTheScriptNorBecomeMarkup() throws IOException {
        Track task = recorder.track("loop </script><marquee>", "</script><img src=x onerror=alert(1)> & 'co'");
        task.ran(base, base + 1_000);
        task.marked(base, "stall", "<!-- </script>");

        String html = write();
        String data = html.substring(html.indexOf("<script type=\"application/json\" id=\"data\">"));
        data = data.substring(data.indexOf('>') + 1, data.indexOf("</script>"));
        assertThat(data).doesNotContain("<");
        assertThat(html).doesNotContain("<img", "<marquee>");
        assertThat(list(member(data(html), "str"))).contains("<!-- </script>");
        assertThat(member(lanes(data(html), 0).getFirst(), "name"))
                .isEqualTo("</script><img src=x onerror=alert(1)> & 'co'");
    }

    @Test
    void aGroupShowsItsBusiestLanesAndHowManyItHides() throws IOException {
        for (int i = 0; i < HtmlTimeline.MAX_LANES + 10; i++) {
            recorder.track("loop 1 (main)", "task #" + i).ran(base, base + 1_000L * (i % 20 == 0 ? 1 : 1_000));
        }

        Map<String, Object> group = maps(member(data(write()), "groups")).getFirst();
        assertThat(member(group, "hidden")).isEqualTo(bd(10));
        List<Object> shown = maps(member(group, "lanes")).stream().map(l -> member(l, "name")).toList();
        assertThat(shown).hasSize(HtmlTimeline.MAX_LANES).doesNotContain("task #0", "task #20", "task #40",
                "task #60").startsWith("task #1", "task #2");
    }

    @Test
    void aLaneOfCountlessShortSlicesStaysBoundedMergingThemByState() throws IOException {
        Track busy = recorder.track("loop 1 (main)", "yielder #1");
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            long at = base + 1_000L * i;
            busy.ran(at, at + 700);
            busy.ready(at + 700, at + 1_000);
        }

        String html = write();
        List<List<Object>> rows = lists(member(lanes(data(html), 0).getFirst(), "s"));
        assertThat(rows).hasSizeLessThanOrEqualTo(2 * HtmlTimeline.RESOLUTION + 2);
        long merged = 0;
        for (List<Object> row : rows) {
            assertThat(row.getFirst()).as("mostly running").isEqualTo(bd(0));
            merged += ((BigDecimal) row.get(5)).longValueExact();
        }
        assertThat(merged).isEqualTo(2L * n);
        assertThat(html.length()).isLessThan(40 * 2 * HtmlTimeline.RESOLUTION);
    }

    @Test
    void anEmptyRecordingSaysSo() throws IOException {
        assertThat(write()).contains("Nothing was recorded.").doesNotContain("banner dropped");
    }

    private String write() throws IOException {
        Path file = Files.createTempFile("weft-timeline", ".html");
        try {
            recorder.writeTimeline(file);
            return Files.readString(file);
        } finally {
            Files.delete(file);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(String html) {
        String from = html.substring(html.indexOf("<script type=\"application/json\" id=\"data\">"));
        return (Map<String, Object>) Json.parse(from.substring(from.indexOf('>') + 1, from.indexOf("</script>")));
    }

    /** The lanes of the {@code g}th group of {@code data}. */
    private static List<Map<String, Object>> lanes(Map<String, Object> data, int g) {
        return maps(member(maps(member(data, "groups")).get(g), "lanes"));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object json) {
        return (List<Object>) json;
    }

    @SuppressWarnings("unchecked")
    private static List<List<Object>> lists(Object json) {
        return (List<List<Object>>) json;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object json) {
        return (List<Map<String, Object>>) json;
    }

    private static BigDecimal bd(long n) {
        return BigDecimal.valueOf(n);
    }

    private static BigDecimal bd(String n) {
        return new BigDecimal(n);
    }
}
