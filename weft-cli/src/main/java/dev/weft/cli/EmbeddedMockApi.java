package dev.weft.cli;

import dev.weft.Loop;
import dev.weft.Weft;
import dev.weft.testing.MockApi;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A mock API in a loop of its own, on a thread of its own, for the lab to fetch from. */
final class EmbeddedMockApi implements AutoCloseable {
    private final Thread thread;
    private final String baseUrl;

    private EmbeddedMockApi(Thread thread, String baseUrl) {
        this.thread = thread;
        this.baseUrl = baseUrl;
    }

    static EmbeddedMockApi start() throws IOException, InterruptedException {
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("weft-lab-mock-api").daemon().start(() -> {
            try (Loop loop = Loop.builder().build()) {
                loop.run(() -> {
                    try (MockApi api = MockApi.start(0, MockApi.Options.defaults())) {
                        url.complete(api.baseUrl());
                        Weft.sleepUntil(Long.MAX_VALUE);
                    }
                });
            } catch (Exception e) {
                url.completeExceptionally(e); // stopped by close(), or failed to start
            }
        });
        try {
            return new EmbeddedMockApi(t, url.get(30, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            t.interrupt();
            throw new IOException("the mock API did not start", e);
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Stops the mock API: interrupting its loop's thread cancels its main task. */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(10_000);
    }
}
