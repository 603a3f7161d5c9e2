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

    /** How many items. */
    int size() {
        return items.list().size();
    }

    /** The first half of the items and the second, as two chunks of the same function; at least two items. */
    List<Chunk<T, R>> halves() {
        List<Object> in = items.list();
        int mid = in.size() / 2;
        return List.of(new Chunk<>(fn, new Values(in.subList(0, mid))), new Chunk<>(fn, new Values(in.subList(mid, in.size()))));
    }
}
