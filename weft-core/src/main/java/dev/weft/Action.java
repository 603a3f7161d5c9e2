package dev.weft;

/** A {@link Body} that returns nothing. */
@FunctionalInterface
public interface Action<X extends Throwable> {
    /** Runs the code. */
    void run() throws X;

    /** This action as a body returning null. */
    default Body<Void, X> asBody() {
        return () -> {
            run();
            return null;
        };
    }
}
