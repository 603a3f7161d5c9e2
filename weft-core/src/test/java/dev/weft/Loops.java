package dev.weft;


/** Runs test code on a fresh loop with no watchdog: on the real clock, or a virtual one (timeouts cost no real time). */
final class Loops {
    private Loops() {}

    static <T> T run(Body<T, Exception> main) throws Exception {
        try (Loop loop = Loop.builder().stallThreshold(null).build()) {
            return loop.run(main);
        }
    }

    static <T, X extends Throwable> T virtual(Body<T, X> main) throws X {
        try (Loop loop = Loop.builder().virtualClock().stallThreshold(null).build()) {
            return loop.run(main);
        }
    }

    static <X extends Throwable> void virtual(Action<X> main) throws X {
        virtual(main.asBody());
    }
}
