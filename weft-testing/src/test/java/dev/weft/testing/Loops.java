package dev.weft.testing;

import dev.weft.Body;
import dev.weft.Loop;

/** Runs test code on a fresh real-clock loop with no watchdog. */
final class Loops {
    private Loops() {}

    static <T> T run(Body<T, Exception> main) throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().build()) {
            return loop.run(main);
        }
    }
}
