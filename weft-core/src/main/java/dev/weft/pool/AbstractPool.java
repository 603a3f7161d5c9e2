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

    /** A pool of {@code b}'s settings, labelled "pool N ({@code what})": see {@link #sized}. */
    AbstractPool(Pool.Builder<?> b, String what) {
        this.workers = b.workers;
        this.label = "pool " + POOLS.incrementAndGet() + " (" + what + ")";
        this.events = new PoolEvents(b.listener, label, this::workerName);
    }

    /** "{@code kind}, N workers": what a pool of a fixed number of workers is. */
    static String sized(String kind, Pool.Builder<?> b) {
        return kind + ", " + b.workers + (b.workers == 1 ? " worker" : " workers");
    }

    @Override
    public int workers() {
        return workers;
    }

    /** What worker {@code n} is called in traces. */
    String workerName(int n) {
        return "worker " + n;
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
        int per = Math.max(1, workers()) * 4;
        return Math.max(1, size / per + (size % per == 0 ? 0 : 1));
    }

    /** {@code job}, serialized for a worker, with the future of its result. */
    final Work work(Job<?> job, CompletableFuture<Object> f) {
        Chunk<?, ?> chunk = job instanceof Chunk<?, ?> c ? c : null;
        return new Work(Serialization.of(job, chunk != null ? "a map's function or items" : "the job"), f, chunk,
                events.work(job));
    }

    /**
     * What to queue again for {@code w}, whose worker died ({@code split}) or could not take it: with
     * retries, a chunk of several items whose worker died is split in two halves (free: the budget
     * counts the deaths of single items and jobs only), so work that can finish does, and an item that
     * kills its worker every time fails after {@code retries} more attempts. Empty when {@code w} has
     * no retry left: then it is the caller's to fail (decision 0023).
     */
    final List<Work> retry(Work w, boolean split, int retries) {
        Chunk<?, ?> c = w.chunk;
        if (split && retries > 0 && c != null && c.size() > 1) {
            return pieces(w, c);
        }
        return w.attempts++ >= retries ? List.of() : List.of(w);
    }

    /** {@code w} split in two halves of chunk {@code c}; {@code w}'s future completes when both have, or one fails. */
    private List<Work> pieces(Work w, Chunk<?, ?> c) {
        List<Work> halves = c.halves().stream().map(h -> work(h, new PoolFuture<>())).toList();
        CompletableFuture<Object> first = halves.get(0).future;
        CompletableFuture<Object> second = halves.get(1).future;
        for (CompletableFuture<Object> half : List.of(first, second)) {
            var _ = half.whenComplete((v, e) -> {
                if (e != null) {
                    w.future.completeExceptionally(e);
                } else if (first.isDone() && second.isDone() && !first.isCompletedExceptionally()
                        && !second.isCompletedExceptionally()) {
                    w.future.complete(Values.concat((Values) first.join(), (Values) second.join()));
                }
            });
        }
        var _ = w.future.whenComplete((v, e) -> halves.forEach(h -> h.future.cancel(false))); // a half not started is dropped
        return halves;
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
