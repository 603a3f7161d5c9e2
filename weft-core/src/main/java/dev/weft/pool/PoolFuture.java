package dev.weft.pool;

import dev.weft.internal.PoolResult;
import java.util.concurrent.CompletableFuture;

/**
 * A future a pool completes: a task awaiting it is shown waiting for the pool ({@link PoolResult}).
 * The stages made from it ({@code thenApply}, {@code handle}...) are pool futures too.
 */
final class PoolFuture<T> extends CompletableFuture<T> implements PoolResult {
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new PoolFuture<>();
    }
}
