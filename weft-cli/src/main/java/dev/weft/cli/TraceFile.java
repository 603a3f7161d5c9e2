package dev.weft.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.trace.Recorder;
import dev.weft.trace.Track;
import java.io.IOException;
import java.io.InputStream;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Chrome trace that Weft wrote ({@code Recorder.writeChromeTrace}, {@code WEFT_TRACE}) read back
 * into a {@link Recorder}: a track per thread (task or worker) of each process (loop run or pool), its
 * run, wait, ready and work spans and its marks, in the file's order, times in nanoseconds. Who woke
 * whom (the flow events) is not read back. The file is streamed: memory grows with its events, not
 * with its text.
 *
 * @param recorder the recording, holding every slice of the file
 * @param dropped the slices the recording program's buffer had dropped before it wrote the file
 */
record TraceFile(Recorder recorder, long dropped) {

    /** The file is JSON, but not a trace that Weft wrote, or a damaged one. */
    static final class NotATraceException extends Exception {
        private static final long serialVersionUID = 1L;

        NotATraceException(String message, Throwable cause) {
            super(message, cause);
        }

        NotATraceException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS); // microseconds with exact nanosecond decimals

    /**
     * Reads {@code file}.
     *
     * @throws IOException if it cannot be read
     * @throws NotATraceException if it is not JSON, not a Chrome trace, not one Weft wrote, or an
     *     event lacks what Weft writes
     */
    static TraceFile read(Path file) throws IOException, NotATraceException {
        List<JsonNode> events = new ArrayList<>();
        String producer = "";
        long dropped = 0;
        boolean sawEvents = false;
        try (InputStream in = Files.newInputStream(file); JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new NotATraceException("not a Chrome trace: it is not a JSON object with \"traceEvents\"");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("traceEvents") && value == JsonToken.START_ARRAY) {
                    sawEvents = true;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        events.add(p.readValueAsTree());
                    }
                } else if (field.equals("otherData") && value == JsonToken.START_OBJECT) {
                    JsonNode other = p.readValueAsTree();
                    producer = other.path("producer").asText("");
                    dropped = other.path("dropped").asLong(0);
                } else {
                    p.skipChildren();
                }
            }
        } catch (JsonEOFException e) {
            throw new NotATraceException("cut short: the JSON ends before it closes what it opened (was the program"
                    + " stopped while it wrote the file?)", e);
        } catch (JacksonException e) {
            throw new NotATraceException("not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
        }
        if (!sawEvents) {
            throw new NotATraceException("not a Chrome trace: it has no \"traceEvents\" array");
        }
        if (!producer.equals("weft")) {
            throw new NotATraceException("a trace that Weft did not write (its \"otherData\" does not say"
                    + " \"producer\": \"weft\"); write one with WEFT_TRACE=FILE or Recorder.writeChromeTrace");
        }
        if (events.size() > Recorder.MAX_CAPACITY) {
            throw new NotATraceException("too many events (" + events.size() + "): at most " + Recorder.MAX_CAPACITY);
        }
        return new TraceFile(new Rebuild(events).recorder, dropped);
    }

    /** Replays the events into a recorder, once every process and thread name is known. */
    private static final class Rebuild {
        final Recorder recorder;
        final Map<String, String> names = new HashMap<>(); // "pid" or "pid/tid" -> its name
        final Map<String, Track> tracks = new HashMap<>();

        Rebuild(List<JsonNode> events) throws NotATraceException {
            recorder = Recorder.create(Math.max(2, events.size()));
            for (JsonNode e : events) {
                if (e.path("ph").asText().equals("M")) {
                    String name = e.path("name").asText();
                    if (name.equals("process_name")) {
                        names.put(e.path("pid").asText(), e.path("args").path("name").asText());
                    } else if (name.equals("thread_name")) {
                        names.put(e.path("pid").asText() + "/" + e.path("tid").asText(), e.path("args").path("name").asText());
                    }
                }
            }
            for (int i = 0; i < events.size(); i++) {
                replay(events.get(i), i);
            }
        }

        private void replay(JsonNode e, int index) throws NotATraceException {
            String ph = e.path("ph").asText();
            String cat = e.path("cat").asText();
            if (ph.equals("i") && cat.equals("mark")) {
                track(e, index).marked(nanos(e, "ts", index), e.path("name").asText(), e.path("args").path("detail").asText());
            } else if (ph.equals("X")) {
                long start = nanos(e, "ts", index);
                long end = start + nanos(e, "dur", index);
                JsonNode args = e.path("args");
                switch (cat) {
                    case "run" -> track(e, index).ran(start, end);
                    case "wait" -> track(e, index).waited(start, end, args.path("reason").asText("other"));
                    case "ready" -> track(e, index).ready(start, end);
                    case "work" -> track(e, index).worked(start, end, e.path("name").asText(), args.path("failure").asText(""));
                    default -> { } // a span of another kind: not Weft's
                }
            }
        }

        private Track track(JsonNode e, int index) throws NotATraceException {
            if (!e.path("pid").canConvertToLong() || !e.path("tid").canConvertToLong()) {
                throw new NotATraceException("event " + index + " (" + e + ") has no numeric \"pid\" and \"tid\"");
            }
            String pid = e.path("pid").asText();
            String key = pid + "/" + e.path("tid").asText();
            Track t = tracks.get(key);
            if (t == null) {
                t = recorder.track(names.getOrDefault(pid, "process " + pid), names.getOrDefault(key, "thread " + key));
                tracks.put(key, t);
            }
            return t;
        }

        /** The event's {@code field}, microseconds, in nanoseconds. */
        private static long nanos(JsonNode e, String field, int index) throws NotATraceException {
            JsonNode v = e.path(field);
            if (!v.isNumber()) {
                throw new NotATraceException("event " + index + " (" + e + ") has no number \"" + field + "\"");
            }
            try {
                return v.decimalValue().movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
            } catch (ArithmeticException overflow) {
                throw new NotATraceException("event " + index + ": \"" + field + "\" is out of range: " + v, overflow);
            }
        }
    }
}
