package dev.weft.pool;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A job on its way to a worker of a process or cluster pool, serialized; {@code attempts} counts its
 * runs that a dying worker (or a lost member) ended, once it is a single job or item.
 */
final class Work {
    final byte[] job;
    final CompletableFuture<Object> future;
    /** The map chunk that {@code job} is, or null: a chunk whose worker died is split (see {@link AbstractPool#pieces}). */
    final @Nullable Chunk<?, ?> chunk;
    /** What the pool's listeners see of it. */
    final PoolListener.Work seen;
    int attempts;

    Work(byte[] job, CompletableFuture<Object> future, @Nullable Chunk<?, ?> chunk, PoolListener.Work seen) {
        this.job = job;
        this.future = future;
        this.chunk = chunk;
        this.seen = seen;
    }
}
