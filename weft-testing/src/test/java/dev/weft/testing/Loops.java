package dev.weft.testing;

import dev.weft.Action;
import dev.weft.Body;
import dev.weft.Loop;

/** Runs test code on a fresh real-clock loop with no watchdog. */
final class Loops {
    private Loops() {}

    /** {@link #run(Body)} for a body that returns nothing. */
    static void run(Action<Exception> main) throws Exception {
        run(main.asBody());
    }

    static <T> T run(Body<T, Exception> main) throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().build()) {
            return loop.run(main);
        }
    }
}
