package dev.weft.trace;

import dev.weft.internal.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes the HTML timeline of {@link Recorder#writeTimeline}: one self-contained file (its style
 * and script inline, nothing loaded from elsewhere) with a header, the advisor's summary, a legend
 * and, for each group, a lane per track on a shared time axis; the script draws the lanes as SVG
 * from the slices embedded as JSON, with a tooltip per slice, zoom and pan.
 *
 * <p>The file stays bounded for any recording: a group shows its {@link #MAX_LANES} busiest tracks
 * and says how many more it has, and a track's spans shorter than 1/{@link #RESOLUTION} of the
 * whole recording merge into one block of the state that covered most of it. The script merges
 * further what is narrower than a pixel at the zoom shown.
 *
 * <p>The embedded data: {@code t0}, {@code t1} (the recording's span), {@code str} (a string
 * table), and {@code groups}, each {@code name}, {@code hidden} and {@code lanes}, each lane
 * {@code name}, {@code s} (rows {@code [kind, start, duration, label, detail, merged]}, kind 0 run,
 * 1 wait, 2 ready, 3 work, 4 mark; label and detail index {@code str}; trailing zeros left out)
 * and {@code w} (wake-ups {@code [time, index of the woken lane]}). Times are microseconds from
 * the recorder's origin.
 */
final class HtmlTimeline {
    /** The most lanes a group shows. */
    static final int MAX_LANES = 64;
    /** A span shorter than the recording's span divided by this merges with its neighbours. */
    static final int RESOLUTION = 20_000;
    /** The row kind of a mark, an instant. */
    private static final int MARK_ROW = 4;

    private HtmlTimeline() {}

    static void write(List<Slice> slices, long origin, long dropped, Summary summary, Path file) throws IOException {
        long t0 = slices.isEmpty() ? origin : Long.MAX_VALUE;
        long t1 = slices.isEmpty() ? origin : Long.MIN_VALUE;
        for (Slice s : slices) {
            t0 = Math.min(t0, s.start());
            t1 = Math.max(t1, s.end());
        }
        List<Lanes.Group> groups = Lanes.of(slices, MAX_LANES);
        String css = resource("timeline.css");
        String js = resource("timeline.js");
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            w.write("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    + "<meta name=\"viewport\" content=\"width=device-width\"><title>Weft timeline</title>\n<style>\n");
            w.write(css);
            w.write("</style></head>\n<body>\n");
            w.write(header(slices.size(), groups, t0 - origin, t1 - origin, dropped));
            w.write("<section class=\"advice\"><h2>" + html(summary.verdict().advice()) + "</h2>\n<p>"
                    + html(summary.evidence()) + "</p>\n<details><summary>The advisor's report</summary><pre>"
                    + html(summary.toString()) + "</pre></details></section>\n");
            w.write("<nav id=\"toolbar\"><button id=\"zoom-in\" title=\"zoom in (+)\">+</button>"
                    + "<button id=\"zoom-out\" title=\"zoom out (-)\">&minus;</button>"
                    + "<button id=\"reset\" title=\"show everything (0)\">reset</button><span id=\"view\"></span>"
                    + "<span class=\"hint\">wheel: zoom &middot; drag or shift+wheel: pan &middot; hover: details"
                    + "</span>"
                    + "</nav>\n<div id=\"legend\"></div>\n<main id=\"groups\"></main>\n<div id=\"tip\" hidden></div>\n"
                    + "<noscript>The lanes are drawn by JavaScript, which is off.</noscript>\n"
                    + "<script type=\"application/json\" id=\"data\">");
            new Data(w, origin).write(groups, t0, t1);
            w.write("</script>\n<script>\n");
            w.write(js);
            w.write("</script>\n</body></html>\n");
        }
    }

    /**
     * The span of time recorded ({@code from} and {@code to} in nanoseconds from the origin), how much,
     * and a banner if slices were dropped.
     */
    private static String header(int slices, List<Lanes.Group> groups, long from, long to, long dropped) {
        int tracks = 0;
        for (Lanes.Group g : groups) {
            tracks += g.lanes().size() + g.hidden();
        }
        String header = "<header><h1>Weft timeline</h1>\n<p class=\"span\">" + (slices == 0 ? "Nothing was recorded."
                : String.format(Locale.ROOT, "From %.3f ms to %.3f ms (%.3f ms): %s, %s, %s.", from / 1e6,
                        to / 1e6, (to - from) / 1e6, SummaryText.count(groups.size(), "group"), SummaryText.count(tracks, "track"),
                        SummaryText.count(slices, "slice")))
                + "</p>\n";
        if (dropped > 0) {
            header += "<p class=\"banner dropped\">The recorder's buffer was full: the oldest "
                    + SummaryText.count(dropped, "slice") + (dropped == 1 ? " was" : " were") + " dropped. This timeline and the"
                    + " summary show only the latest " + slices + ". A recorder of larger capacity keeps more.</p>\n";
        }
        return header + "</header>\n";
    }

    /** Writes the embedded JSON. It holds no {@code <}, so no {@code </script>}: its strings escape it. */
    private static final class Data {
        private final Writer w;
        private final long origin;
        private final Map<String, Integer> strings = new HashMap<>();
        private final StringBuilder table = new StringBuilder("\"\"");
        /** Whether the next {@link #element} is the first of its array. */
        private boolean first;

        Data(Writer w, long origin) {
            this.w = w;
            this.origin = origin;
            strings.put("", 0);
        }

        void write(List<Lanes.Group> groups, long t0, long t1) throws IOException {
            long quantum = (t1 - t0) / RESOLUTION;
            w.write("{\"t0\":" + micros(t0) + ",\"t1\":" + micros(t1) + ",\"groups\":[");
            for (int g = 0; g < groups.size(); g++) {
                Lanes.Group group = groups.get(g);
                Map<Track, Integer> index = new HashMap<>();
                for (Lanes.Lane lane : group.lanes()) {
                    index.put(lane.track(), index.size());
                }
                w.write((g == 0 ? "" : ",") + "\n{\"name\":" + json(group.name()) + ",\"hidden\":" + group.hidden()
                        + ",\"lanes\":[");
                for (int l = 0; l < group.lanes().size(); l++) {
                    Lanes.Lane lane = group.lanes().get(l);
                    w.write((l == 0 ? "" : ",") + "\n{\"name\":" + json(lane.track().name()) + ",\"s\":[");
                    writeRows(lane.slices(), quantum);
                    w.write("],\"w\":[");
                    writeWakes(lane.slices(), index, quantum);
                    w.write("]}");
                }
                w.write("]}");
            }
            w.write("],\n\"str\":[" + table + "]}");
        }

        /** The lane's spans and marks, spans shorter than {@code quantum} merged. */
        private void writeRows(List<Slice> slices, long quantum) throws IOException {
            Block block = new Block();
            first = true;
            for (Slice s : slices) {
                int kind = kind(s.kind());
                if (kind < 0) {
                    continue;
                }
                boolean span = kind != MARK_ROW;
                if (span && s.nanos() < quantum) {
                    if (block.count > 0 && s.end() - block.start > quantum) {
                        element(block.take());
                    }
                    block.add(s, kind);
                } else {
                    if (span && block.count > 0) {
                        element(block.take());
                    }
                    element(row(kind, s.start(), s.nanos(), s.label(), s.detail(), 0));
                }
            }
            if (block.count > 0) {
                element(block.take());
            }
        }

        /** The lane's wake-ups of lanes shown in its group, at most one per {@code quantum}. */
        private void writeWakes(List<Slice> slices, Map<Track, Integer> index, long quantum) throws IOException {
            long last = Long.MIN_VALUE;
            first = true;
            for (Slice s : slices) {
                Integer to = s.woke().map(index::get).orElse(null);
                if (s.kind() == Slice.Kind.WAKE && to != null && (first || s.start() - last >= Math.max(1, quantum))) {
                    element("[" + micros(s.start()) + "," + to + "]");
                    last = s.start();
                }
            }
        }

        /** Writes an element of the array being written, after a comma unless it is the first. */
        private void element(String json) throws IOException {
            w.write(first ? json : "," + json);
            first = false;
        }

        /**
         * Short spans gathered into one row: the kind that covered most of their time, with the label of
         * that kind's longest span.
         */
        private final class Block {
            final long[] nanos = new long[4];
            final @Nullable Slice[] longest = new Slice[4];
            long start;
            long end;
            int count;

            void add(Slice s, int kind) {
                if (count == 0) {
                    start = s.start();
                    end = s.end();
                }
                end = Math.max(end, s.end());
                count++;
                nanos[kind] += s.nanos();
                Slice l = longest[kind];
                if (l == null || s.nanos() > l.nanos()) {
                    longest[kind] = s;
                }
            }

            /** This block's row; empties it. */
            String take() {
                int best = 0;
                for (int k = 1; k < 4; k++) {
                    if (nanos[k] > nanos[best]) {
                        best = k;
                    }
                }
                Slice l = longest[best];
                String row = count == 1 && l != null ? row(best, l.start(), l.nanos(), l.label(), l.detail(), 0)
                        : row(best, start, end - start, l == null ? "" : l.label(), "", count);
                Arrays.fill(nanos, 0);
                Arrays.fill(longest, null);
                count = 0;
                return row;
            }
        }

        private String row(int kind, long start, long nanos, String label, String detail, int merged) {
            StringBuilder b = new StringBuilder(32).append('[').append(kind).append(',').append(micros(start))
                    .append(',').append(ChromeTrace.micros(nanos));
            int l = string(label);
            int d = string(detail);
            if (l != 0 || d != 0 || merged != 0) {
                b.append(',').append(l);
            }
            if (d != 0 || merged != 0) {
                b.append(',').append(d);
            }
            if (merged != 0) {
                b.append(',').append(merged);
            }
            return b.append(']').toString();
        }

        private int string(String s) {
            Integer known = strings.get(s);
            if (known != null) {
                return known;
            }
            int i = strings.size();
            strings.put(s, i);
            table.append(',').append(json(s));
            return i;
        }

        private String micros(long nanos) {
            return ChromeTrace.micros(nanos - origin);
        }
    }

    /** The row kind of a slice's kind; -1 for a wake-up, which is not a row. */
    private static int kind(Slice.Kind kind) {
        return switch (kind) {
            case RUN -> 0;
            case WAIT -> 1;
            case READY -> 2;
            case WORK -> 3;
            case MARK -> MARK_ROW;
            case WAKE -> -1;
        };
    }

    /** {@code s} as a JSON string that holds no {@code <}. */
    private static String json(String s) {
        return Json.str(s).replace("<", "\\u003c");
    }

    /** {@code s} as HTML text or attribute value. */
    private static String html(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = HtmlTimeline.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing beside " + HtmlTimeline.class.getName()
                        + ": weft-core was built without its resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
