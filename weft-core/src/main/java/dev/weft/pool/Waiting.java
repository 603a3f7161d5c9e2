package dev.weft.pool;

import dev.weft.Weft;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waiting for pool results: a task suspends (its loop goes on), a plain thread blocks. */
final class Waiting {
    private Waiting() {}

    /** The value of {@code f}; a failure rethrown as it was if unchecked, else in a CompletionException. */
    static <R> R get(CompletableFuture<R> f) {
        if (Weft.inTask()) {
            return Weft.await(f);
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a pool result");
        }
    }

    /**
     * Runs {@code blocking} (joining threads, say) on a platform thread of its own and waits until it
     * has returned: a task of a loop waits without holding the loop.
     */
    static void onThread(Runnable blocking) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("weft-pool-wait").start(() -> {
            try {
                blocking.run();
            } finally {
                done.complete(null);
            }
        });
        settle(done);
    }

    /** Waits until {@code f} is done, whatever its outcome. */
    static void settle(CompletableFuture<?> f) {
        get(f.handle((v, e) -> null));
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

    static <R> Iterator<CompletableFuture<R>> asCompleted(Collection<? extends CompletableFuture<R>> futures) {
        List<CompletableFuture<R>> pending = new ArrayList<>(futures);
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
