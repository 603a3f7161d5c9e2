package dev.weft.trace;

import dev.weft.internal.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a recorder's slices in the Chrome trace-event format (the JSON object form): a process per
 * group (a loop's run, a pool), a thread per track, complete events ({@code "ph":"X"}) for spans,
 * instants for marks, flow events from a waker to the task it woke. Times are microseconds from the
 * recorder's origin, with nanosecond decimals so that spans that touch do not overlap by rounding.
 */
final class ChromeTrace {
    private ChromeTrace() {}

    static void write(List<Slice> slices, long origin, long recorded, long dropped, Path file) throws IOException {
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            new ChromeTrace.Out(w, origin).write(slices, recorded, dropped);
        }
    }

    private static final class Out {
        private final Writer w;
        private final long origin;
        private final Map<String, Integer> pids = new HashMap<>();
        private final Set<Integer> named = new HashSet<>();
        private boolean first = true;
        private int flows;

        Out(Writer w, long origin) {
            this.w = w;
            this.origin = origin;
        }

        void write(List<Slice> slices, long recorded, long dropped) throws IOException {
            w.write("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"producer\":\"weft\",\"recorded\":" + recorded
                    + ",\"dropped\":" + dropped + ",\"note\":"
                    + Json.str(dropped == 0 ? "complete" : "the ring buffer was full: the oldest " + dropped
                            + " slices were dropped")
                    + "},\"traceEvents\":[\n");
            for (Slice s : slices) {
                Track t = s.track();
                int pid = pid(t);
                switch (s.kind()) {
                    case RUN -> span(s, pid, "run", "run", "");
                    case WAIT -> span(s, pid, "wait: " + s.label(), "wait", ",\"args\":{\"reason\":" + Json.str(s.label()) + "}");
                    case READY -> span(s, pid, "ready", "ready", "");
                    case WORK -> span(s, pid, s.label(), "work",
                            s.detail().isEmpty() ? "" : ",\"args\":{\"failure\":" + Json.str(s.detail()) + "}");
                    case MARK -> event("{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"mark\",\"name\":" + Json.str(s.label())
                            + ids(pid, t) + ",\"ts\":" + at(s.start())
                            + ",\"args\":{\"detail\":" + Json.str(s.detail()) + "}}");
                    case WAKE -> {
                        Track to = s.woke().orElse(null);
                        if (to != null) {
                            int id = ++flows;
                            event("{\"ph\":\"s\",\"cat\":\"wake\",\"name\":\"wake\",\"id\":" + id + ids(pid, t)
                                    + ",\"ts\":" + at(s.start()) + "}");
                            event("{\"ph\":\"f\",\"bp\":\"e\",\"cat\":\"wake\",\"name\":\"wake\",\"id\":" + id
                                    + ids(pid(to), to) + ",\"ts\":" + at(s.start()) + "}");
                        }
                    }
                }
            }
            w.write("\n]}\n");
        }

        private void span(Slice s, int pid, String name, String cat, String args) throws IOException {
            event("{\"ph\":\"X\",\"cat\":\"" + cat + "\",\"name\":" + Json.str(name) + ids(pid, s.track()) + ",\"ts\":"
                    + at(s.start()) + ",\"dur\":" + ChromeTrace.micros(s.nanos()) + args + "}");
        }

        private int pid(Track t) throws IOException {
            Integer known = pids.get(t.group());
            int pid;
            if (known == null) {
                pid = pids.size() + 1;
                pids.put(t.group(), pid);
                event("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" + pid + ",\"args\":{\"name\":"
                        + Json.str(t.group()) + "}}");
                event("{\"ph\":\"M\",\"name\":\"process_sort_index\",\"pid\":" + pid + ",\"args\":{\"sort_index\":"
                        + pid + "}}");
            } else {
                pid = known;
            }
            if (named.add(t.id())) {
                event("{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":" + pid + ",\"tid\":" + t.id()
                        + ",\"args\":{\"name\":" + Json.str(t.name()) + "}}");
                event("{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":" + pid + ",\"tid\":" + t.id()
                        + ",\"args\":{\"sort_index\":" + t.id() + "}}");
            }
            return pid;
        }

        private static String ids(int pid, Track t) {
            return ",\"pid\":" + pid + ",\"tid\":" + t.id();
        }

        /** A time as microseconds from the origin. */
        private String at(long nanos) {
            return ChromeTrace.micros(nanos - origin);
        }

        private void event(String json) throws IOException {
            if (!first) {
                w.write(",\n");
            }
            first = false;
            w.write(json);
        }
    }

    /** Nanoseconds as microseconds, exactly and without trailing zeros: {@code 1500} gives {@code 1.5}. */
    static String micros(long nanos) {
        long a = Math.abs(nanos);
        String whole = (nanos < 0 ? "-" : "") + a / 1000;
        long frac = a % 1000;
        return frac == 0 ? whole : whole + "." + String.format(Locale.ROOT, "%03d", frac).replaceAll("0+$", "");
    }
}
