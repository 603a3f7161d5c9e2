package dev.weft;

/** Rethrows a body's exception as it was, checked or not, where the compiler knows it as {@code X}. */
final class Sneaky {
    private Sneaky() {}

    /**
     * Throws {@code t}; declared to return {@code X} so that callers write {@code throw Sneaky.<X>thrown(t)}.
     * Sound only where {@code t} is known to be an {@code X}, an unchecked exception or an error: the
     * exception of a {@link Body} whose type parameter is {@code X}.
     */
    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
    static <X extends Throwable> X thrown(Throwable t) throws X {
        throw (X) t;
    }
}
