package dev.weft.internal;

import java.time.Duration;

/** Checks of settings, with errors that name the setting and the value given. */
public final class Args {
    private Args() {}

    /** {@code n}, if it is at least {@code min}; else an IllegalArgumentException naming {@code name}. */
    public static int atLeast(int n, int min, String name) {
        if (n < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + n);
        }
        return n;
    }

    /** {@code d}, if it is longer than zero; else an IllegalArgumentException naming {@code name}. */
    public static Duration positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }
}
