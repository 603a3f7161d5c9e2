package dev.weft.pool;

import java.io.Serializable;

/** A function of two arguments for {@link Pool#starmap}; serializable as {@link Fn}. */
@FunctionalInterface
public interface Fn2<A, B, R> extends Serializable {
    R apply(A first, B second) throws Exception;
}
