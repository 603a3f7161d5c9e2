package dev.weft.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmark's run as {@code weft bench NAME --json} writes it, read back, and turned into the
 * README's tables: {@link #rewrite} replaces the text between {@code <!-- bench:NAME -->} and
 * {@code <!-- /bench:NAME -->} with {@link #markdown} of NAME's run.
 */
public final class Report {
    /** One run of one benchmark: what it measured, how many runs each median is of, and where it ran. */
    public record Run(SideBySide.Result result, Sizes.Scale scale, int repeats, Machine machine) {}

    /** The systems that are not Weft: what Weft is compared with. */
    private static final Set<String> ANCHORS = Set.of("raw_vthreads", "asyncio", "uvloop", "aiohttp", "aiohttp_uvloop",
            "multiprocessing", "hazelcast");

    private Report() {}

    /** The run as a JSON document. */
    public static String json(Run run) {
        SideBySide.Result r = run.result();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("bench", r.spec().name());
        doc.put("description", r.description());
        doc.put("date", run.machine().date());
        doc.put("commit", run.machine().commit());
        doc.put("machine", run.machine().toJson());
        doc.put("scale", run.scale().name().toLowerCase(Locale.ROOT));
        doc.put("sizes", r.sizes().values());
        doc.put("repeats", run.repeats());
        List<Object> metrics = new ArrayList<>();
        for (SideBySide.Metric m : r.spec().metrics()) {
            Map<String, Object> metric = new LinkedHashMap<>();
            metric.put("name", m.name());
            metric.put("unit", m.unit());
            metric.put("higher_is_better", m.higherIsBetter());
            metrics.add(metric);
        }
        doc.put("metrics", metrics);
        Map<String, Object> rows = new LinkedHashMap<>();
        r.bySystem().forEach((system, values) -> {
            Map<String, Double> row = new LinkedHashMap<>(values);
            row.values().removeIf(v -> v.isNaN());
            rows.put(system, row);
        });
        doc.put("rows", rows);
        doc.put("notes", r.notes());
        return Json.write(doc) + "\n";
    }

    /** Reads back a document that {@link #json} wrote. */
    public static Run parse(String json) {
        Map<?, ?> doc = Json.object(Json.read(json), "the document");
        List<SideBySide.Metric> metrics = new ArrayList<>();
        for (Object o : Json.array(doc, "metrics")) {
            Map<?, ?> m = Json.object(o, "a metric");
            metrics.add(new SideBySide.Metric(Json.get(m, "name", String.class), Json.get(m, "unit", String.class),
                    Json.get(m, "higher_is_better", Boolean.class)));
        }
        List<String> sizeArgs = new ArrayList<>();
        Map<?, ?> sizes = Json.object(doc.get("sizes"), "\"sizes\"");
        for (Object k : sizes.keySet()) {
            sizeArgs.add("--" + k);
            sizeArgs.add(String.valueOf(Json.get(sizes, String.valueOf(k), Double.class).longValue()));
        }
        Map<String, Map<String, Double>> bySystem = new LinkedHashMap<>();
        Map<?, ?> rows = Json.object(doc.get("rows"), "\"rows\"");
        for (Object system : rows.keySet()) {
            Map<?, ?> values = Json.object(rows.get(system), "the row of " + system);
            Map<String, Double> row = new LinkedHashMap<>();
            for (Object k : values.keySet()) {
                row.put(String.valueOf(k), Json.get(values, String.valueOf(k), Double.class));
            }
            bySystem.put(String.valueOf(system), row);
        }
        List<String> notes = new ArrayList<>();
        for (Object n : Json.array(doc, "notes")) {
            notes.add(String.valueOf(n));
        }
        // the description is stored filled in: no placeholders are left for the sizes to fill
        SideBySide.Spec spec = new SideBySide.Spec(Json.get(doc, "bench", String.class),
                Json.get(doc, "description", String.class), metrics, 0);
        SideBySide.Result result = new SideBySide.Result(spec, Sizes.parse(sizeArgs), bySystem, notes);
        return new Run(result, Sizes.Scale.valueOf(Json.get(doc, "scale", String.class).toUpperCase(Locale.ROOT)),
                Json.get(doc, "repeats", Double.class).intValue(),
                Machine.fromJson(Json.get(doc, "date", String.class), Json.get(doc, "commit", String.class),
                        Json.object(doc.get("machine"), "\"machine\"")));
    }

    /**
     * The result as a table, its header first: a row per metric with each system's value, then how many
     * times better Weft is than each anchor ({@code W vs X}).
     */
    public static List<List<String>> table(SideBySide.Result r) {
        List<String> systems = new ArrayList<>(r.bySystem().keySet());
        List<String> anchors = systems.stream().filter(ANCHORS::contains).toList();
        // Weft's systems compared with the anchors: "weft" where there is one (its variants are shown only)
        List<String> compared = systems.contains("weft") ? List.of("weft")
                : systems.stream().filter(s -> !ANCHORS.contains(s)).toList();
        List<String> header = new ArrayList<>(List.of("metric", "unit"));
        header.addAll(systems);
        compared.forEach(w -> anchors.forEach(a -> header.add(w + " vs " + a)));
        List<List<String>> rows = new ArrayList<>(List.of(header));
        for (SideBySide.Metric m : r.spec().metrics()) {
            List<String> row = new ArrayList<>(List.of(m.name(), m.unit() + (m.higherIsBetter() ? " (higher better)"
                    : " (lower better)")));
            systems.forEach(s -> row.add(format(value(r, s, m))));
            compared.forEach(w -> anchors.forEach(a -> row.add(ratio(SideBySide.advantage(m, value(r, w, m),
                    value(r, a, m))))));
            rows.add(row);
        }
        return rows;
    }

    /** The README section of a run: what was measured, the table, where and when, the notes. */
    public static String markdown(Run run) {
        SideBySide.Result r = run.result();
        Machine m = run.machine();
        StringBuilder sb = new StringBuilder();
        if (run.scale() == Sizes.Scale.SMALL) {
            sb.append("**Small sizes (`--small`): a check that the pipeline works, not a measurement.**\n\n");
        }
        sb.append('`').append(r.spec().name()).append("`: ").append(r.description()).append(".\n\n");
        List<List<String>> table = table(r);
        for (int i = 0; i < table.size(); i++) {
            sb.append("| ").append(String.join(" | ", table.get(i))).append(" |\n");
            if (i == 0) {
                sb.append("|---|---|").append("---:|".repeat(table.get(0).size() - 2)).append('\n');
            }
        }
        sb.append('\n').append(String.format(Locale.ROOT, "Median of %d run%s, %s, commit `%s`: %d cores (%s), %s, %s, %s",
                run.repeats(), run.repeats() == 1 ? "" : "s", m.date(), m.commit(), m.cores(), m.cpu(), m.memory(), m.os(),
                m.jdk()));
        m.anchors().forEach((k, v) -> sb.append(", ").append(k).append(' ').append(v));
        sb.append(".\n");
        r.notes().forEach(n -> sb.append("\n- ").append(n));
        return sb.append(r.notes().isEmpty() ? "" : "\n").toString();
    }

    /**
     * {@code readme} with the text between {@code <!-- bench:NAME -->} and {@code <!-- /bench:NAME -->}
     * replaced by the {@link #markdown} of NAME's run, for each run; fails naming a run with no such section.
     */
    public static String rewrite(String readme, List<Run> runs) {
        String out = readme;
        for (Run run : runs) {
            String name = run.result().spec().name();
            Pattern section = Pattern.compile("(<!-- bench:" + Pattern.quote(name) + " -->\n)(?s:.*?)(<!-- /bench:"
                    + Pattern.quote(name) + " -->)");
            Matcher matcher = section.matcher(out);
            if (!matcher.find()) {
                throw new IllegalArgumentException("no section <!-- bench:" + name + " --> ... <!-- /bench:" + name
                        + " --> to rewrite");
            }
            out = matcher.replaceFirst(Matcher.quoteReplacement(matcher.group(1) + markdown(run)) + "$2");
        }
        return out;
    }

    private static double value(SideBySide.Result r, String system, SideBySide.Metric m) {
        return r.bySystem().getOrDefault(system, Map.of()).getOrDefault(m.name(), Double.NaN);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2fx", v);
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
