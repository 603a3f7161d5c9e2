package dev.weft.internal;

import java.time.Duration;

/** Conversions between {@link Duration} and the loop clock's nanoseconds, saturating, never overflowing. */
public final class Durations {
    private Durations() {}

    /** {@code d} in nanoseconds, saturated to the range of long. */
    public static long toNanos(Duration d) {
        if (d == null) {
            throw new NullPointerException("duration is null");
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** {@code now + nanos}, saturated at Long.MAX_VALUE (never) and clamped below at {@code now}. */
    public static long deadline(long now, long nanos) {
        if (nanos <= 0) {
            return now;
        }
        long d = now + nanos;
        return d < now ? Long.MAX_VALUE : d;
    }

    /** A loop-clock instant or span, for people: "1.5 s", "250 ms", "never". */
    public static String format(long nanos) {
        if (nanos == Long.MAX_VALUE) {
            return "never";
        }
        if (Math.abs(nanos) >= 1_000_000_000L) {
            return String.format("%.3f s", nanos / 1e9);
        }
        return String.format("%.3f ms", nanos / 1e6);
    }
}
