package dev.weft;

/** A {@link Body} that returns nothing. */
@FunctionalInterface
public interface Action<X extends Throwable> {
    /** Runs the code. */
    void run() throws X;

    /** This action as a body returning null. */
    @SuppressWarnings("NullAway") // a Body<Void> returns null, the only value of Void
    default Body<Void, X> asBody() {
        return () -> {
            run();
            return null;
        };
    }
}
