package dev.weft.pool;

import java.util.ArrayList;
import java.util.List;

/** A slice of a map's items, run as one job on one worker. */
record Chunk<T, R>(Fn<? super T, ? extends R> fn, Values items) implements Job<Values> {
    private static final long serialVersionUID = 1L;

    @Override
    @SuppressWarnings("unchecked")
    public Values call() throws Exception {
        List<Object> in = items.list();
        List<R> out = new ArrayList<>(in.size());
        for (Object item : in) {
            out.add(fn.apply((T) item));
        }
        return new Values(out);
    }
}
