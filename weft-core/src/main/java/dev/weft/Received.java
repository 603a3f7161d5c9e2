package dev.weft;

/**
 * What {@link Channel#receiveOrClosed} got: an {@link Item}, or the news that the channel is closed —
 * {@link Done} (closed by {@link Channel#close()}, every item received) or {@link Failed} (closed by
 * {@link Channel#fail}). Handle it with a pattern {@code switch}:
 *
 * <pre>{@code
 * switch (results.receiveOrClosed()) {
 *     case Received.Item<Result> i -> save(i.value());
 *     case Received.Done<Result> d -> finish();
 *     case Received.Failed<Result> f -> abort(f.cause());
 * }
 * }</pre>
 */
public sealed interface Received<E> {
    /** An item sent on the channel. */
    record Item<E>(E value) implements Received<E> {}

    /** The channel was closed normally and every item sent was received. */
    record Done<E>() implements Received<E> {}

    /** The channel was closed with {@code cause}; items still buffered were dropped. */
    record Failed<E>(Throwable cause) implements Received<E> {}
}
