package dev.weft.pool;

import dev.weft.DeadlineExceededException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A pool's task time limit ({@link Pool.Builder#taskTimeout}): runs the expiry of each run on one
 * daemon thread, and makes the exception that says what took too long.
 */
final class TaskTimer {
    private final Duration limit;
    private final ScheduledThreadPoolExecutor timer;

    TaskTimer(Duration limit) {
        this.limit = limit;
        this.timer = new ScheduledThreadPoolExecutor(1, r ->
                Thread.ofPlatform().daemon().name("weft-pool-timeouts").unstarted(r));
        timer.setRemoveOnCancelPolicy(true); // a run that ends in time leaves nothing behind
    }

    /** Runs {@code expiry} once the limit has passed, unless the returned future is cancelled first. */
    ScheduledFuture<?> start(Runnable expiry) {
        return timer.schedule(expiry, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** "{@code what} ran longer than the pool's taskTimeout (the limit){@code consequence}". */
    DeadlineExceededException exceeded(String what, String consequence) {
        return new DeadlineExceededException(what + " ran longer than the pool's taskTimeout (" + limit + ")" + consequence);
    }

    void shutdown() {
        timer.shutdownNow();
    }
}
