package dev.weft.pool;

import dev.weft.TaskCancelledException;
import dev.weft.Weft;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waiting for pool results: a task suspends (its loop goes on), a plain thread blocks. */
final class Waiting {
    private Waiting() {}

    /**
     * The value of {@code f}; a failure rethrown as it was if unchecked, else in a CompletionException;
     * a cancelled {@code f} as a {@link TaskCancelledException} (as {@code Weft.await} does in a task).
     */
    static <R> R get(CompletableFuture<R> f) {
        if (Weft.inTask()) {
            return Weft.await(f);
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw rethrow(Objects.requireNonNullElse(e.getCause(), e));
        } catch (CancellationException e) {
            throw new TaskCancelledException("the awaited pool result", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // kept set: the caller sees why
            throw new CompletionException("interrupted while waiting for a pool result", e);
        }
    }

    /**
     * Runs {@code blocking} (joining threads, say) on a platform thread of its own and waits until it
     * has returned: a task of a loop waits without holding the loop.
     */
    static void onThread(Runnable blocking) {
        CompletableFuture<Void> done = new PoolFuture<>();
        Thread.ofPlatform().daemon().name("weft-pool-wait").start(() -> {
            try {
                blocking.run();
            } finally {
                done.complete(null);
            }
        });
        settle(done);
    }

    /** Waits until {@code f} is done, whatever its outcome (a task is shown waiting for the pool). */
    static void settle(CompletableFuture<?> f) {
        CompletableFuture<Void> done = new PoolFuture<>();
        var _ = f.whenComplete((v, e) -> done.complete(null));
        get(done);
    }

    static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new CompletionException(e);
    }

    /** An iterator over {@code futures} in the order they complete, each once; see {@link Pool#asCompleted}. */
    static <R> Iterator<CompletableFuture<R>> asCompleted(List<CompletableFuture<R>> futures) {
        Set<CompletableFuture<R>> listed = Collections.newSetFromMap(new IdentityHashMap<>());
        List<CompletableFuture<R>> pending = new ArrayList<>();
        for (CompletableFuture<R> f : futures) {
            if (listed.add(f)) {
                pending.add(f);
            }
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !pending.isEmpty();
            }

            @Override
            public CompletableFuture<R> next() {
                if (pending.isEmpty()) {
                    throw new NoSuchElementException();
                }
                return takeDone(pending);
            }
        };
    }

    /** Waits until one of {@code pending} (not empty) is done, then removes it and returns it. */
    static <F extends CompletableFuture<?>> F takeDone(Collection<F> pending) {
        settle(CompletableFuture.anyOf(pending.toArray(CompletableFuture[]::new)));
        for (Iterator<F> i = pending.iterator(); i.hasNext();) {
            F f = i.next();
            if (f.isDone()) {
                i.remove();
                return f;
            }
        }
        throw new AssertionError("anyOf completed with no future done");
    }
}
