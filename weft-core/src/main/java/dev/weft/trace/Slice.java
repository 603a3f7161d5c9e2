package dev.weft.trace;

import java.util.Optional;

/**
 * One recorded event of a {@link Track}: a span of time in some state, or an instant.
 *
 * @param track where it happened
 * @param kind what it was
 * @param start when it began, {@code System.nanoTime()} of the recording JVM
 * @param end when it ended (equal to {@code start} for an instant)
 * @param label for a {@link Kind#WAIT} the wait reason's label ({@code "sleep"}, {@code "lock"}...),
 *     for {@link Kind#WORK} the job's name, for a {@link Kind#MARK} its name; empty otherwise
 * @param detail more for people (a stall's stack, a job's failure); empty when there is none
 * @param woke for a {@link Kind#WAKE}, the track that was woken; empty otherwise
 */
public record Slice(Track track, Kind kind, long start, long end, String label, String detail, Optional<Track> woke) {

    /** What a slice says about its track. */
    public enum Kind {
        /** A task held its loop's turn: it ran. */
        RUN,
        /** A task waited for something, named by the label. */
        WAIT,
        /** A task was ready to run and waited for the turn. */
        READY,
        /** A pool worker ran a job. */
        WORK,
        /** Something happened at an instant: a stall, a deadlock, a worker that died. */
        MARK,
        /** At an instant the track woke {@link Slice#woke()} (a flow arrow in a trace viewer). */
        WAKE
    }

    /** Length in nanoseconds. */
    public long nanos() {
        return end - start;
    }
}
