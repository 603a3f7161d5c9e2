package dev.weft.pool;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** What every backend shares: maps made of chunk jobs over {@link #submit}. */
abstract class AbstractPool implements Pool {
    private final int workers;

    AbstractPool(int workers) {
        this.workers = workers;
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, MapOptions options) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(options, "options");
        List<? extends T> all = items instanceof List<? extends T> l && l instanceof java.util.RandomAccess ? l : copy(items);
        int chunk = options.chunkSize() > 0 ? options.chunkSize() : autoChunk(all.size());
        Tally tally = new Tally(options.progress(), all.size());
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

    /** multiprocessing's choice: about four chunks per worker. */
    private int autoChunk(int size) {
        int per = workers * 4;
        return Math.max(1, size / per + (size % per == 0 ? 0 : 1));
    }

    /** Submits {@code fn} over {@code items} as one job; its future gives {@link Values} (see {@link #results}). */
    <T, R> CompletableFuture<Values> submitChunk(Fn<? super T, ? extends R> fn, List<? extends T> items, Tally tally) {
        CompletableFuture<Values> f = submit(new Chunk<>(fn, new Values(items)));
        if (tally.progress == null) {
            return f;
        }
        CompletableFuture<Values> counted = f.thenApply(v -> { // done when the progress was told too
            tally.add(items.size());
            return v;
        });
        counted.whenComplete((v, e) -> {
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
        return new Lazy<>(this, fn, items.iterator(), options, true);
    }

    @Override
    public <T, R> Iterator<R> imapUnordered(Fn<? super T, ? extends R> fn, Iterable<? extends T> items,
            MapOptions options) {
        return new Lazy<>(this, fn, items.iterator(), options, false);
    }

    /** Items done so far, told to a {@link Progress}. */
    static final class Tally {
        final Progress progress;
        private final long total;
        private long done;

        Tally(Progress progress, long total) {
            this.progress = progress;
            this.total = total;
        }

        /** Told in order: each update's count is larger than the last one's. */
        synchronized void add(int n) {
            done += n;
            progress.update(done, total);
        }
    }
}
