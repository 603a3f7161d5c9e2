package dev.weft.trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recording laid out for a timeline: its groups (loop runs, pools) in the order their first track
 * was created, each with a lane per track in creation order. A group with more tracks than a
 * timeline shows keeps the busiest (most time running or working) and counts the rest.
 */
final class Lanes {
    private Lanes() {}

    /**
     * One group's lanes.
     *
     * @param name the group (a loop's run, a pool)
     * @param lanes the lanes shown, in the order their tracks were created
     * @param hidden how many tracks of the group are not shown
     */
    record Group(String name, List<Lane> lanes, int hidden) {}

    /**
     * One track's slices, in the order they started.
     *
     * @param track the track
     * @param slices its slices, by start
     * @param busyNanos time the track ran (a task) or worked (a pool worker)
     */
    record Lane(Track track, List<Slice> slices, long busyNanos) {
        static Lane of(Track track, List<Slice> slices) {
            slices.sort(Comparator.comparingLong(Slice::start));
            long busy = 0;
            for (Slice s : slices) {
                if (s.kind() == Slice.Kind.RUN || s.kind() == Slice.Kind.WORK) {
                    busy += s.nanos();
                }
            }
            return new Lane(track, slices, busy);
        }
    }

    /** {@code slices} grouped, with at most {@code max} lanes a group. */
    static List<Group> of(List<Slice> slices, int max) {
        Map<Track, List<Slice>> byTrack = new LinkedHashMap<>();
        for (Slice s : slices) {
            byTrack.computeIfAbsent(s.track(), t -> new ArrayList<>()).add(s);
        }
        Map<String, List<Lane>> byGroup = new LinkedHashMap<>();
        byTrack.entrySet().stream()
                .sorted(Comparator.comparingInt(e -> e.getKey().id()))
                .forEach(e -> byGroup.computeIfAbsent(e.getKey().group(), g -> new ArrayList<>())
                        .add(Lane.of(e.getKey(), e.getValue())));
        List<Group> groups = new ArrayList<>(byGroup.size());
        byGroup.forEach((name, lanes) ->
                groups.add(new Group(name, busiest(lanes, max), Math.max(0, lanes.size() - max))));
        return groups;
    }

    private static List<Lane> busiest(List<Lane> lanes, int max) {
        if (lanes.size() <= max) {
            return List.copyOf(lanes);
        }
        return lanes.stream()
                .sorted(Comparator.comparingLong(Lane::busyNanos).reversed())
                .limit(max)
                .sorted(Comparator.comparingInt(l -> l.track().id()))
                .toList();
    }
}
