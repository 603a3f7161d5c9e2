package dev.weft.pool;

import java.io.Serializable;

/** A piece of work for {@link Pool#submit}; serializable as {@link Fn}. */
@FunctionalInterface
public interface Job<R> extends Serializable {
    R call() throws Exception;
}
