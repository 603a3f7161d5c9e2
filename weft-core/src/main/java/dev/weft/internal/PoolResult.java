package dev.weft.internal;

/**
 * Marks a future that a {@code Pool} completes with a job's result, so that a task awaiting it is
 * shown waiting for the pool ({@code WaitReason.POOL}) rather than for a plain future.
 */
public interface PoolResult {}
