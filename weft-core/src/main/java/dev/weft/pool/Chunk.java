package dev.weft.pool;

import java.util.ArrayList;
import java.util.List;

/** A slice of a map's items, run as one job on one worker. */
record Chunk<T, R>(Fn<? super T, ? extends R> fn, ArrayList<T> items) implements Job<List<R>> {
    private static final long serialVersionUID = 1L;

    @Override
    public List<R> call() throws Exception {
        List<R> out = new ArrayList<>(items.size());
        for (T item : items) {
            out.add(fn.apply(item));
        }
        return out;
    }
}
