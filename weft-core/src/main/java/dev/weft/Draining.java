package dev.weft;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * The iterator of a {@link Queue} or {@link Channel}: takes items until the source says there are no
 * more. {@code hasNext()} waits for the next item, so it is a suspension point.
 */
abstract class Draining<E> implements Iterator<E> {
    private @Nullable E next;
    private boolean ended;

    /** Takes the next item, waiting for it; null when there will be no more. */
    abstract @Nullable E take();

    @Override
    public final boolean hasNext() {
        if (next == null && !ended) {
            next = take();
            ended = next == null;
        }
        return next != null;
    }

    @Override
    public final E next() {
        E e = hasNext() ? next : null;
        if (e == null) {
            throw new NoSuchElementException("no more items: the source is closed and empty");
        }
        next = null;
        return e;
    }
}
