package dev.weft;

import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/** Collects a response body, failing (and stopping the download) once it passes a size limit. */
final class LimitedBody implements BodySubscriber<byte[]> {
    /** The body passed the limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    private final long max;
    private final long declared;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final List<ByteBuffer> parts = new ArrayList<>();
    private Flow.@Nullable Subscription subscription;
    private long size;

    LimitedBody(long max, long declared) {
        this.max = max;
        this.declared = declared;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declared > max) {
            s.cancel();
            result.completeExceptionally(new TooLarge("the response declares " + declared + " bytes, over the limit of "
                    + max));
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            size += b.remaining();
            if (size > max) {
                Objects.requireNonNull(subscription, "onSubscribe comes first").cancel();
                result.completeExceptionally(new TooLarge("the response body passed the limit of " + max + " bytes"));
                return;
            }
            ByteBuffer copy = ByteBuffer.allocate(b.remaining());
            copy.put(b).flip();
            parts.add(copy);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        byte[] all = new byte[(int) size];
        int at = 0;
        for (ByteBuffer b : parts) {
            int n = b.remaining();
            b.get(all, at, n);
            at += n;
        }
        result.complete(all);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
