package dev.weft.pool;

import dev.weft.TaskCancelledException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** What every backend shares: maps made of chunk jobs over {@link #submit}. */
abstract class AbstractPool implements Pool {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int workers;
    /** What the pool is called in traces and JFR events: "pool 2 (processes, 4 workers)". */
    final String label;
    final PoolEvents events;

    /** A pool of {@code b}'s settings; {@code kind} is "threads" or "processes". */
    AbstractPool(Pool.Builder<?> b, String kind) {
        this.workers = b.workers;
        this.label = "pool " + POOLS.incrementAndGet() + " (" + kind + ", " + workers + (workers == 1 ? " worker)" : " workers)");
        this.events = new PoolEvents(b.listener, label);
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, MapOptions options) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(options, "options");
        List<? extends T> all = items instanceof List<? extends T> l && l instanceof java.util.RandomAccess ? l : copy(items);
        int chunk = options.chunkSize > 0 ? options.chunkSize : autoChunk(all.size());
        Tally tally = Tally.of(options.progress, all.size());
        List<CompletableFuture<Values>> parts = new ArrayList<>();
        List<R> out = new ArrayList<>(all.size());
        try {
            for (int i = 0; i < all.size(); i += chunk) {
                parts.add(submitChunk(fn, all.subList(i, Math.min(all.size(), i + chunk)), tally));
            }
            for (CompletableFuture<Values> p : parts) {
                out.addAll(results(p));
            }
        } catch (RuntimeException | Error e) {
            parts.forEach(p -> p.cancel(false)); // chunks not started are dropped
            throw e;
        }
        return out;
    }

    private static <T> List<T> copy(Iterable<? extends T> items) {
        List<T> all = new ArrayList<>();
        items.forEach(all::add);
        return all;
    }

    /** How a task fails when the pool ends before it does: {@code why} says how it ended. */
    static TaskCancelledException cancelled(String why) {
        return new TaskCancelledException("a task of the pool", new CancellationException(why));
    }

    /** multiprocessing's choice: about four chunks per worker. */
    private int autoChunk(int size) {
        int per = workers * 4;
        return Math.max(1, size / per + (size % per == 0 ? 0 : 1));
    }

    /** Submits {@code fn} over {@code items} as one job; its future gives {@link Values} (see {@link #results}). */
    <T, R> CompletableFuture<Values> submitChunk(Fn<? super T, ? extends R> fn, List<? extends T> items,
            @Nullable Tally tally) {
        CompletableFuture<Values> f = submit(new Chunk<>(fn, new Values(items)));
        if (tally == null) {
            return f;
        }
        CompletableFuture<Values> counted = f.thenApply(v -> { // done when the progress was told too
            tally.add(items.size());
            return v;
        });
        var _ = counted.whenComplete((v, e) -> {
            if (counted.isCancelled()) {
                f.cancel(false); // a cancelled chunk not yet started is dropped
            }
        });
        return counted;
    }

    /** The results of a chunk, waiting for them. */
    @SuppressWarnings("unchecked")
    static <R> List<R> results(CompletableFuture<Values> chunk) {
        return (List<R>) (List<?>) Waiting.get(chunk).list();
    }

    @Override
    public <T, R> Iterator<R> imap(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, MapOptions options) {
        return lazy(fn, items, options, true);
    }

    @Override
    public <T, R> Iterator<R> imapUnordered(Fn<? super T, ? extends R> fn, Iterable<? extends T> items,
            MapOptions options) {
        return lazy(fn, items, options, false);
    }

    private <T, R> Iterator<R> lazy(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, MapOptions options,
            boolean ordered) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(options, "options");
        return new Lazy<>(this, fn, items.iterator(), options, ordered);
    }

    /** Items done so far, told to a {@link Progress}. */
    static final class Tally {
        private final Progress progress;
        private final long total;
        private long done;

        private Tally(Progress progress, long total) {
            this.progress = progress;
            this.total = total;
        }

        /** A tally of {@code total} items (-1: not known) told to {@code progress}; null if there is none. */
        static @Nullable Tally of(@Nullable Progress progress, long total) {
            return progress == null ? null : new Tally(progress, total);
        }

        /** Told in order: each update's count is larger than the last one's. */
        synchronized void add(int n) {
            done += n;
            progress.update(done, total);
        }
    }
}
