package dev.weft.pool;

import java.io.Serializable;

/**
 * A function a {@link Pool} applies to items: serializable, so that a process pool can send it to its
 * workers (a lambda whose target type is {@code Fn} is serializable when what it captures is).
 */
@FunctionalInterface
public interface Fn<T, R> extends Serializable {
    R apply(T item) throws Exception;
}
