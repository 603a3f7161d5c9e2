package dev.weft.cli;

import dev.weft.trace.Recorder;
import dev.weft.trace.Slice;
import dev.weft.trace.Track;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Copies recordings into one another, so that each lab row is recorded alone and the lab still writes one trace. */
final class LabTrace {
    private LabTrace() {}

    /**
     * Records every slice {@code from} holds into {@code to}, on lanes of the same names whose group
     * is prefixed with {@code prefix}. Times stay as they were.
     */
    static void copy(Recorder from, Recorder to, String prefix) {
        Map<Track, Track> lanes = new HashMap<>();
        Function<Track, Track> lane = track -> lanes.computeIfAbsent(track, k -> to.track(prefix + k.group(), k.name()));
        for (Slice s : from.slices()) {
            Track t = lane.apply(s.track());
            switch (s.kind()) {
                case RUN -> t.ran(s.start(), s.end());
                case WAIT -> t.waited(s.start(), s.end(), s.label());
                case READY -> t.ready(s.start(), s.end());
                case WORK -> t.worked(s.start(), s.end(), s.label(), s.detail());
                case MARK -> t.marked(s.start(), s.label(), s.detail());
                case WAKE -> s.woke().ifPresent(w -> t.woke(lane.apply(w), s.start()));
            }
        }
    }
}
