package dev.weft.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The iterator of {@code imap} and {@code imapUnordered}: reads the input as results are consumed,
 * keeping at most {@code maxInFlight} chunks submitted and not yet consumed.
 */
final class Lazy<T, R> implements Iterator<R> {
    private final AbstractPool pool;
    private final Fn<? super T, ? extends R> fn;
    private final Iterator<? extends T> source;
    private final int chunk;
    private final int maxInFlight;
    private final boolean ordered;
    private final AbstractPool.@Nullable Tally tally;
    private final ArrayDeque<CompletableFuture<Values>> inFlight = new ArrayDeque<>();
    private Iterator<R> current = Collections.emptyIterator();

    Lazy(AbstractPool pool, Fn<? super T, ? extends R> fn, Iterator<? extends T> source, MapOptions options,
            boolean ordered) {
        this.pool = pool;
        this.fn = fn;
        this.source = source;
        this.chunk = options.chunkSize > 0 ? options.chunkSize : 1;
        this.maxInFlight = options.maxInFlight > 0 ? options.maxInFlight : 4 * pool.workers();
        this.ordered = ordered;
        this.tally = AbstractPool.Tally.of(options.progress, -1);
        fill();
    }

    private void fill() {
        try {
            while (inFlight.size() < maxInFlight && source.hasNext()) {
                ArrayList<T> items = new ArrayList<>(chunk);
                while (items.size() < chunk && source.hasNext()) {
                    items.add(source.next());
                }
                inFlight.add(pool.<T, R>submitChunk(fn, items, tally));
            }
        } catch (RuntimeException | Error e) { // the input failed (or the pool refused): nothing more comes
            abandon();
            throw e;
        }
    }

    /** Drops the chunks in flight (those not started yet do not run). */
    private void abandon() {
        inFlight.forEach(p -> p.cancel(false));
        inFlight.clear();
    }

    @Override
    public boolean hasNext() {
        return current.hasNext() || !inFlight.isEmpty();
    }

    @Override
    public R next() {
        while (!current.hasNext()) {
            if (inFlight.isEmpty()) {
                throw new NoSuchElementException();
            }
            CompletableFuture<Values> f = ordered ? inFlight.poll() : Waiting.takeDone(inFlight);
            try {
                current = AbstractPool.<R>results(f).iterator();
            } catch (RuntimeException | Error e) {
                abandon();
                throw e;
            }
            fill();
        }
        return current.next();
    }

}
