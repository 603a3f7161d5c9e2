package dev.weft.internal;

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
}
