package dev.weft;

import dev.weft.internal.Durations;
/** A timer that resumes a sleeping fiber. */
final class Wakeup extends Timer {
    private final Fiber<?> fiber;

    Wakeup(Fiber<?> fiber) {
        this.fiber = fiber;
    }

    @Override
    protected void fire() {
        fiber.sched.resume(fiber);
    }

    @Override
    public String toString() {
        return "the loop clock to reach " + Durations.format(deadline);
    }
}
