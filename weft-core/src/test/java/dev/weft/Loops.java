package dev.weft;


/** Runs test code on a fresh loop with a virtual clock (timeouts cost no real time) and no watchdog. */
final class Loops {
    private Loops() {}

    static <T, X extends Throwable> T virtual(Body<T, X> main) throws X {
        try (Loop loop = Loop.builder().virtualClock().stallThreshold(null).build()) {
            return loop.run(main);
        }
    }

    static <X extends Throwable> void virtual(Action<X> main) throws X {
        virtual(main.asBody());
    }
}
