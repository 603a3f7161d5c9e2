package dev.weft.trace;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A lane of a {@link Recorder}: one task of a loop, or one worker of a pool. Thread-safe: each method
 * adds one slice to the recorder's ring buffer, allocating nothing once its label is known. Times are {@code System.nanoTime()}
 * values; a span whose end is before its start is recorded as empty.
 */
public final class Track {
    private final Recorder recorder;
    private final int id;
    private final String group;
    private final String name;

    Track(Recorder recorder, int id, String group, String name) {
        this.recorder = recorder;
        this.id = id;
        this.group = group;
        this.name = name;
    }

    /** Unique within its recorder, in order of creation. */
    public int id() {
        return id;
    }

    /** What the track belongs to: one loop's run, or one pool (a process in a trace viewer). */
    public String group() {
        return group;
    }

    /** The task's or worker's name. */
    public String name() {
        return name;
    }

    /** The task held the turn from {@code start} to {@code end}. */
    public void ran(long start, long end) {
        recorder.add(this, Slice.Kind.RUN, start, end, 0, null);
    }

    /** The task waited for {@code reason} (a {@code WaitReason}'s label) from {@code start} to {@code end}. */
    public void waited(long start, long end, String reason) {
        recorder.add(this, Slice.Kind.WAIT, start, end, recorder.label(Objects.requireNonNull(reason, "reason")), null);
    }

    /** The task was ready, waiting for the turn, from {@code start} to {@code end}. */
    public void ready(long start, long end) {
        recorder.add(this, Slice.Kind.READY, start, end, 0, null);
    }

    /** The worker ran {@code job} from {@code start} to {@code end}; {@code failure} is empty when it succeeded. */
    public void worked(long start, long end, String job, String failure) {
        recorder.add(this, Slice.Kind.WORK, start, end, recorder.label(Objects.requireNonNull(job, "job")),
                detail(Objects.requireNonNull(failure, "failure")));
    }

    /** Something named {@code name} happened at {@code at}; {@code detail} says more (a stack, say). */
    public void marked(long at, String name, String detail) {
        recorder.add(this, Slice.Kind.MARK, at, at, recorder.label(Objects.requireNonNull(name, "name")),
                detail(Objects.requireNonNull(detail, "detail")));
    }

    /** At {@code at} this track woke {@code other}: it set, released or put what {@code other} waited for. */
    public void woke(Track other, long at) {
        recorder.add(this, Slice.Kind.WAKE, at, at, 0, Objects.requireNonNull(other, "other"));
    }

    private static @Nullable String detail(String text) {
        return text.isEmpty() ? null : text;
    }

    @Override
    public String toString() {
        return group + " / " + name;
    }
}
