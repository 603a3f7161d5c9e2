package dev.weft;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import dev.weft.internal.PoolResult;
import org.jspecify.annotations.Nullable;

/** The suspension points of the core: sleeping, awaiting tasks, and waiting for other threads. */
final class Waits {
    private Waits() {}

    private static final Object FOREVER = new Object() {
        @Override
        public String toString() {
            return "nothing (a sleep without end: only a cancellation ends it)";
        }
    };

    /** The current task, or a clear error saying how to get one. */
    public static Fiber<?> current(String operation) {
        Fiber<?> f = Fiber.current();
        if (f == null) {
            throw new IllegalStateException(operation + " must be called inside a task: start one with"
                    + " Weft.run(...), or from another thread hand work to a running loop with Loop.submit(...)");
        }
        return f;
    }

    public static void sleepUntil(Fiber<?> self, long deadline) {
        self.checkCancelled();
        if (deadline <= self.sched.now()) {
            self.yieldTurn();
            return;
        }
        if (deadline == Long.MAX_VALUE) { // never: no timer for the virtual clock to jump to
            while (true) {
                self.suspend(WaitReason.SLEEP, FOREVER);
            }
        }
        suspendUntil(self, WaitReason.SLEEP, null, deadline);
    }

    /**
     * Suspends until something resumes the task, it is cancelled, or the loop clock reaches
     * {@code deadline} ({@code Long.MAX_VALUE}: no limit), whichever comes first. A suspension point.
     *
     * @param reason why the task waits, for tools
     * @param blocker what the task waits for, for reports; null: the clock
     */
    public static void suspendUntil(Fiber<?> self, WaitReason reason, @Nullable Object blocker, long deadline) {
        if (deadline == Long.MAX_VALUE) {
            self.suspend(reason, blocker != null ? blocker : FOREVER);
            return;
        }
        Wakeup w = new Wakeup(self);
        self.sched.schedule(w, deadline);
        try {
            self.suspend(reason, blocker == null ? w : blocker);
        } finally {
            self.sched.unschedule(w);
        }
    }

    /** Waits for {@code task} to end and returns its outcome's value (or throws its failure). */
    public static <T> T await(Fiber<?> self, Task<T> task) {
        if (!(task instanceof Fiber<T> t)) {
            throw new IllegalArgumentException("not a task made by Weft: " + task);
        }
        if (t == self) {
            throw new IllegalStateException(t + " awaits itself: it would wait forever");
        }
        if (t.sched != self.sched) {
            waitFor(self, WaitReason.TASK, t.completion().handle((v, e) -> null), null);
        } else {
            self.checkCancelled();
            if (!t.isDone()) {
                t.addWaiter(self);
                try {
                    self.suspend(WaitReason.TASK, t);
                } finally {
                    if (!t.isDone()) {
                        t.removeWaiter(self);
                    }
                }
            }
        }
        return valueOf(self, t);
    }

    /**
     * The value of {@code task}, which has ended, as its awaiter {@code self} gets it: its failure as
     * a {@code TaskFailedException}; its cancellation as a {@code TaskCancelledException}, unless
     * {@code self} is cancelled too (by the same scope, say), whose own cancellation comes first.
     */
    public static <T> T valueOf(Fiber<?> self, Task<T> task) {
        Outcome<T> o = task.outcome();
        if (o instanceof Outcome.Cancelled<T>) {
            self.checkCancelled();
        }
        return o.get();
    }

    /**
     * Waits, without holding the loop, for a stage completed by anything (another thread, I/O, a
     * pool). If this wait is interrupted by a cancellation or timeout, {@code onInterrupt} runs (to
     * stop the work) before the exception propagates.
     */
    public static <T> T awaitStage(Fiber<?> self, CompletionStage<T> stage, @Nullable Runnable onInterrupt) {
        if (stage instanceof CompletableFuture<T> cf && cf.isDone()) {
            self.checkCancelled();
            try {
                return cf.join();
            } catch (CompletionException | CancellationException e) {
                throw rethrow(self, e);
            }
        }
        External<T> w = waitFor(self, stage instanceof PoolResult ? WaitReason.POOL : WaitReason.FUTURE, stage,
                onInterrupt);
        if (w.failure != null) {
            throw rethrow(self, w.failure);
        }
        return w.value();
    }

    /**
     * Runs {@code body} on a platform thread while the task waits without holding the loop; rethrows
     * what the body threw, as it was. Cancelling the task interrupts the thread and throws at once.
     */
    public static <T, X extends Throwable> T toThread(Fiber<?> self, dev.weft.Body<T, X> body) throws X {
        self.checkCancelled();
        CompletableFuture<T> cf = new CompletableFuture<>();
        Future<?> running = Blocking.executor().submit(() -> {
            try {
                cf.complete(body.run());
            } catch (Throwable t) {
                cf.completeExceptionally(t);
            }
        });
        External<T> w = waitFor(self, WaitReason.TO_THREAD, cf, () -> running.cancel(true));
        if (!w.suspended) {
            self.yieldTurn(); // done before we could wait: still let the loop go round, as asyncio.to_thread does
        }
        if (w.failure != null) {
            throw Sneaky.<X>thrown(w.failure);
        }
        return w.value();
    }

    private static <T> External<T> waitFor(Fiber<?> self, WaitReason reason, CompletionStage<T> stage,
            @Nullable Runnable onInterrupt) {
        self.checkCancelled();
        External<T> w = new External<>(self);
        Scheduler s = self.sched;
        s.beginExternalWait();
        try {
            stage.whenComplete(w);
            if (!w.done) {
                w.suspended = true;
                self.suspend(reason, w);
            }
        } catch (RuntimeException | Error e) {
            if (onInterrupt != null) {
                onInterrupt.run();
            }
            throw e;
        } finally {
            w.active = false;
            s.endExternalWait();
        }
        return w;
    }

    /**
     * Waits for any future; one that cannot call back is waited for by a blocked platform thread,
     * which is interrupted if this wait is cancelled.
     */
    public static <T> T awaitFuture(Fiber<?> self, Future<T> future) {
        if (future instanceof CompletionStage<?>) {
            @SuppressWarnings("unchecked")
            CompletionStage<T> stage = (CompletionStage<T>) future;
            return awaitStage(self, stage, null);
        }
        try {
            return toThread(self, future::get);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw rethrow(self, cause != null ? cause : e);
        } catch (Exception e) { // get() throws no other checked exception than InterruptedException
            throw rethrow(self, e);
        }
    }

    /**
     * An outside failure as the awaiter sees it: unchecked as it was, checked in a
     * CompletionException; a cancelled future as a {@link TaskCancelledException}, unless the awaiter
     * is cancelled itself.
     */
    private static RuntimeException rethrow(Fiber<?> self, Throwable e) {
        Throwable wrapped = e.getCause();
        Throwable cause = e instanceof CompletionException && wrapped != null ? wrapped : e;
        if (cause instanceof CancellationException) {
            self.checkCancelled();
            throw new TaskCancelledException("the awaited future", cause);
        }
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        throw new CompletionException(cause);
    }

    /** The wake-up of one outside wait: called back by whoever completes the stage, on any thread. */
    private static final class External<T> implements BiConsumer<T, Throwable> {
        private final Fiber<?> fiber;
        volatile boolean done;
        boolean active = true;
        boolean suspended;
        @Nullable T value;
        @Nullable Throwable failure;

        External(Fiber<?> fiber) {
            this.fiber = fiber;
        }

        /** The value the stage completed with, once it completed normally. */
        @SuppressWarnings("NullAway") // null only if the stage completed with null, as a CompletionStage<Void> does
        T value() {
            return value;
        }

        @Override
        public void accept(@Nullable T v, @Nullable Throwable e) {
            value = v;
            failure = e;
            done = true;
            fiber.sched.onTurn(() -> {
                if (active) {
                    fiber.sched.resume(fiber);
                }
            });
        }

        @Override
        public String toString() {
            return "a result from outside the loop (another thread, I/O or a pool)";
        }
    }
}
