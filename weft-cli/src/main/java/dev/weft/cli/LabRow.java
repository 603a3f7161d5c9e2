package dev.weft.cli;

import dev.weft.trace.Recorder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One measured row of a lab case: what ran, under which model, and the numbers of its runs.
 *
 * @param how what the row does ("50 tasks on one loop")
 * @param model the lesson's name for it ("concurrency + asynchrony")
 * @param walls the wall time of each run, in nanoseconds; empty when the row was skipped
 * @param cores the median over runs of CPU time (this process and its workers) over wall time
 * @param busy the median over runs of the loop's busy share, NaN when the advisor reported no loop
 * @param recording the last run's recording; empty when skipped
 * @param result what the work computed, the same in every row of a case
 * @param estimateNanos for a skipped row, how long it would have taken; 0 otherwise
 */
record LabRow(String how, String model, List<Long> walls, double cores, double busy, Optional<Recorder> recording,
        long result, long estimateNanos) {

    /** Copies the walls. */
    LabRow {
        walls = List.copyOf(walls);
    }

    /** A row not run because it would take {@code estimateNanos}. */
    static LabRow skipped(String how, String model, long estimateNanos) {
        return new LabRow(how, model, List.of(), Double.NaN, Double.NaN, Optional.empty(), 0, estimateNanos);
    }

    boolean wasSkipped() {
        return walls.isEmpty();
    }

    /** The median wall time, or the estimate of a skipped row. */
    long wallNanos() {
        return wasSkipped() ? estimateNanos : median(walls);
    }

    /** The largest distance of a run from the median, as a share of the median (0 for one run). */
    double spread() {
        long m = median(walls);
        return m == 0 ? 0 : Math.max(m - min(walls), max(walls) - m) / (double) m;
    }

    static long median(List<Long> values) {
        List<Long> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static long min(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).min().orElse(0);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
