package dev.weft;

import java.time.Duration;

/** Runs test code on a fresh loop with no watchdog: on the real clock, or a virtual one (timeouts cost no real time). */
final class Loops {
    private Loops() {}

    /**
     * The thread that does the current run's duties, and waits in its selector: the loop's own
     * carrier, or {@code caller}, the thread that called {@code run}, on the shared scheduler. From a task.
     */
    static Thread dutiesThread(Thread caller) {
        return Weft.loop().carrier() == Loop.Carrier.OWN ? OwnCarrier.currentCarrier() : caller;
    }

    static <T> T run(Body<T, Exception> main) throws Exception {
        try (Loop loop = Loop.builder().noStallWatchdog().build()) {
            return loop.run(main);
        }
    }

    static <T, X extends Throwable> T virtual(Body<T, X> main) throws X {
        try (Loop loop = Loop.builder().virtualClock().noStallWatchdog().build()) {
            return loop.run(main);
        }
    }

    static <X extends Throwable> void virtual(Action<X> main) throws X {
        virtual(main.asBody());
    }

    /** The deadline at {@code nanos} on the current loop's clock (zero when its run began). */
    static Deadline at(long nanos) {
        return Deadline.after(Duration.ofNanos(nanos - Weft.nanoTime()));
    }

    /** Where {@code deadline} is on the current loop's clock; {@code Long.MAX_VALUE} for none. */
    static long nanos(java.util.Optional<Deadline> deadline) {
        return deadline.map(d -> Weft.nanoTime() + d.remaining().toNanos()).orElse(Long.MAX_VALUE);
    }
}
