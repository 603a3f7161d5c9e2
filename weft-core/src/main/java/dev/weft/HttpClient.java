package dev.weft;

import dev.weft.internal.Args;
import dev.weft.internal.Closing;
import dev.weft.internal.Durations;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP client for tasks (HTTP/1.1 and HTTP/2, TLS, redirects, connection pooling — the JDK's
 * {@code java.net.http.HttpClient} is the engine): {@link #send} suspends the task, never the loop.
 *
 * <pre>{@code
 * try (HttpClient http = HttpClient.builder().retries(3).maxPerHost(10).build()) {
 *     HttpResponse r = http.send(HttpRequest.get("http://127.0.0.1:8080/users/1"));
 *     String json = r.text();
 * }
 * }</pre>
 *
 * <p>Timeouts: each attempt has a timeout (the client's, or the request's own) and each connection
 * its connect timeout; passing either is a {@link DeadlineExceededException} naming the option. A
 * {@code Weft.timeout} around {@code send} bounds the whole call, retries included, and is thrown as
 * it is. Retries: an idempotent request ({@link HttpRequest#idempotent}: GET, HEAD, OPTIONS, TRACE,
 * PUT, DELETE) that fails to connect, breaks, times out, or is answered 429 or 503 is sent again, up
 * to {@link Builder#retries} times, after an exponential backoff with full jitter, or after the
 * server's {@code Retry-After} when it says so, never longer than the backoff cap. A malformed
 * response is not retried. Redirects: followed up to {@link Builder#maxRedirects}, to http or https
 * but never from https to http; a redirect not followed is the answer. Errors are
 * {@link HttpException}s that name the URL and their {@link HttpException.Kind}; error statuses are
 * responses. Cancellation aborts the exchange at once.
 *
 * <p>A client may be shared by tasks of several loops: the per-host limit counts each loop's
 * requests apart. Close it to release its connections.
 */
public final class HttpClient implements AutoCloseable {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final java.net.http.HttpClient jdk;
    /** Runs the JDK client's dependent actions: a virtual thread each (a streamed request body may block). */
    private final java.util.concurrent.ExecutorService executor;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxPerHost;
    private final int retries;
    private final Duration backoffBase;
    private final Duration backoffCap;
    private final long maxResponseBytes;
    private final int maxRedirects;
    /** The per-host limits of each loop's run; a run's own map is touched only on its turn. */
    private final Map<Scheduler, Map<String, Semaphore>> hosts = new ConcurrentHashMap<>();

    private HttpClient(Builder b, java.net.http.HttpClient jdk, java.util.concurrent.ExecutorService executor) {
        this.jdk = jdk;
        this.executor = executor;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.maxPerHost = b.maxPerHost;
        this.retries = b.retries;
        this.backoffBase = b.backoffBase;
        this.backoffCap = b.backoffCap;
        this.maxResponseBytes = b.maxResponseBytes;
        this.maxRedirects = b.maxRedirects;
    }

    /** A client with the defaults of {@link Builder}. */
    public static HttpClient create() {
        return builder().build();
    }

    /** The options of a new client. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@link #send} of a GET. */
    public HttpResponse get(String url) throws HttpException {
        Objects.requireNonNull(url, "url");
        return send(HttpRequest.get(url));
    }

    /**
     * Sends {@code request} and returns its complete response; a suspension point.
     *
     * @throws HttpException if it could not be sent or answered (after the retries), naming the URL
     * @throws DeadlineExceededException if an attempt or a connection took longer than its timeout
     */
    public HttpResponse send(HttpRequest request) throws HttpException {
        Objects.requireNonNull(request, "request");
        Fiber<?> f = Waits.current("HttpClient.send");
        Answer<byte[]> a = call(f, request, info -> new LimitedBody(maxResponseBytes,
                info.headers().firstValueAsLong("content-length").orElse(-1)), body -> { });
        a.slot().close();
        java.net.http.HttpResponse<byte[]> r = a.response();
        return new HttpResponse(r.uri(), r.statusCode(), r.headers(), r.body());
    }

    /**
     * Sends {@code request} and returns its response as a stream: the call waits for the status and
     * headers (within the timeout per attempt, retried and redirected as {@link #send}), then the body
     * is read from the {@link HttpStream} as it comes, without a size limit; the stream holds one of
     * the host's slots (see {@link Builder#maxPerHost}) until it is closed. A suspension point; so is
     * each read.
     *
     * @throws HttpException if it could not be sent or answered, naming the URL
     * @throws DeadlineExceededException if an attempt or a connection took longer than its timeout
     */
    public HttpStream stream(HttpRequest request) throws HttpException {
        Objects.requireNonNull(request, "request");
        Fiber<?> f = Waits.current("HttpClient.stream");
        Answer<InputStream> a = call(f, request, java.net.http.HttpResponse.BodyHandlers.ofInputStream(),
                Closing::quietly);
        java.net.http.HttpResponse<InputStream> r = a.response();
        return new HttpStream(r.uri(), r.statusCode(), r.headers(), r.body(), a.slot());
    }

    /** A response and the host slot it holds until its body is read or dropped. */
    private record Answer<B>(java.net.http.HttpResponse<B> response, Permit slot) {}

    /** {@code request} with its redirects followed; {@code drop} closes a body that is not the answer. */
    private <B> Answer<B> call(Fiber<?> f, HttpRequest request, java.net.http.HttpResponse.BodyHandler<B> handler,
            Consumer<B> drop) throws HttpException {
        HttpRequest req = request;
        for (int hop = 0;; hop++) {
            Answer<B> a = withRetries(f, uri(req.url()), req, handler, drop);
            java.net.http.HttpResponse<B> r = a.response();
            Optional<HttpRequest> next = maxRedirects == 0 ? Optional.empty()
                    : Redirects.next(req, r.uri(), r.statusCode(), r.headers().firstValue("location"));
            if (next.isEmpty()) {
                return a;
            }
            drop.accept(r.body());
            a.slot().close();
            if (hop >= maxRedirects) {
                throw new HttpException(HttpException.Kind.TOO_MANY_REDIRECTS, uri(request.url()), "more than "
                        + maxRedirects + " redirects (the last to " + HttpUrls.display(next.get().url()) + ")", null);
            }
            req = next.get();
        }
    }

    /** One request to one URL, retried as the class says; the answer holds a slot of the host. */
    private <B> Answer<B> withRetries(Fiber<?> f, URI uri, HttpRequest request,
            java.net.http.HttpResponse.BodyHandler<B> handler, Consumer<B> drop) throws HttpException {
        Semaphore host = hostSlots(f, uri);
        for (int attempt = 0;; attempt++) {
            boolean last = attempt >= retries || !request.idempotent();
            Permit slot = host.hold();
            java.net.http.HttpResponse<B> r;
            try {
                r = attempt(f, uri, request, handler, drop);
            } catch (HttpException | DeadlineExceededException e) {
                slot.close();
                if (last || !retryable(e)) {
                    throw e;
                }
                Weft.sleep(backoff(attempt, Optional.empty()));
                continue;
            } catch (RuntimeException | Error e) {
                slot.close();
                throw e;
            }
            if (last || (r.statusCode() != 429 && r.statusCode() != 503)) {
                return new Answer<>(r, slot);
            }
            drop.accept(r.body());
            slot.close();
            Weft.sleep(backoff(attempt, retryAfter(r.headers())));
        }
    }

    /** One attempt, within its timeout (the request's own, or the client's). */
    private <B> java.net.http.HttpResponse<B> attempt(Fiber<?> f, URI uri, HttpRequest request,
            java.net.http.HttpResponse.BodyHandler<B> handler, Consumer<B> drop) throws HttpException {
        Duration own = request.timeout();
        Duration limit = own != null ? own : requestTimeout;
        Timeout t = Weft.timeout(limit);
        try {
            return exchange(f, uri, request, handler, drop);
        } catch (DeadlineExceededException e) {
            if (e.isFrom(t)) {
                throw HttpErrors.timedOut("an answer from", uri, own != null ? "HttpRequest timeout"
                        : "HttpClient.Builder requestTimeout", limit, e);
            }
            throw e;
        } finally {
            t.close();
        }
    }

    /**
     * One exchange: sends, and waits without the loop until {@code handler} has the response. If a
     * cancellation ends the wait as the response arrives, {@code drop} gets its body (to close it).
     */
    private <B> java.net.http.HttpResponse<B> exchange(Fiber<?> f, URI uri, HttpRequest request,
            java.net.http.HttpResponse.BodyHandler<B> handler, Consumer<B> drop) throws HttpException {
        CompletableFuture<java.net.http.HttpResponse<B>> cf;
        try {
            java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri)
                    .method(request.method(), request.publisher());
            request.headers().forEach(h -> b.header(h.getKey(), h.getValue()));
            cf = jdk.sendAsync(b.build(), HttpErrors.lengthChecked(handler));
        } catch (IllegalArgumentException e) {
            throw new HttpException(HttpException.Kind.BAD_URL, uri, "the JDK's client refused it: " + e.getMessage(), e);
        }
        try {
            return Waits.awaitStage(f, cf, () -> {
                cf.cancel(true);
                var _ = cf.thenAccept(x -> drop.accept(x.body())); // it may have arrived just before the cancellation
            });
        } catch (CompletionException e) {
            throw HttpErrors.classify(uri, e.getCause() != null ? e.getCause() : e, connectTimeout);
        }
    }

    /** The per-host limit of {@code uri}'s scheme, host and port (the default port when none is given) in {@code f}'s run. */
    private Semaphore hostSlots(Fiber<?> f, URI uri) {
        Map<String, Semaphore> mine = hosts.get(f.sched);
        if (mine == null) {
            hosts.keySet().removeIf(Scheduler::ended);
            mine = new HashMap<>();
            hosts.put(f.sched, mine);
        }
        String scheme = Objects.requireNonNull(uri.getScheme()).toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return mine.computeIfAbsent(scheme + "://" + Objects.requireNonNull(uri.getHost()).toLowerCase(Locale.ROOT)
                + ":" + port, k -> new Semaphore(maxPerHost));
    }

    /** Whether a failed attempt may be sent again: a connection that failed, or an attempt's own timeout. */
    private static boolean retryable(Exception e) {
        if (e instanceof HttpException h) {
            return h.kind() == HttpException.Kind.CONNECTION_REFUSED || h.kind() == HttpException.Kind.CONNECTION_FAILED;
        }
        return HttpErrors.isAttemptTimeout(e);
    }

    /** Full-jitter exponential backoff, or the server's Retry-After; never over the cap. */
    private Duration backoff(int attempt, Optional<Duration> retryAfter) {
        long cap = Durations.toNanos(backoffCap);
        long base = Durations.toNanos(backoffBase);
        long ceiling = attempt < 62 && base <= cap >> attempt ? base << attempt : cap; // saturates at the cap
        long jittered = ThreadLocalRandom.current().nextLong(ceiling == Long.MAX_VALUE ? ceiling : ceiling + 1);
        long wait = retryAfter.map(d -> Math.max(Durations.toNanos(d), jittered)).orElse(jittered);
        return Duration.ofNanos(Math.min(wait, cap));
    }


    /** The {@code Retry-After} of a response: seconds, or an HTTP date. */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        return headers.firstValue("retry-after").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
            } catch (NumberFormatException e) {
                try {
                    Duration d = Duration.between(ZonedDateTime.now(ZoneOffset.UTC), ZonedDateTime.parse(v.trim(), HTTP_DATE));
                    return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (DateTimeParseException e2) {
                    return Optional.empty();
                }
            }
        });
    }

    private static URI uri(String url) throws HttpException {
        URI u;
        try {
            u = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new HttpException(HttpException.Kind.BAD_URL, null, "'" + HttpUrls.display(url) + "'", "not a URL ("
                    + e.getReason() + " at index " + e.getIndex() + ")", e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getPort() > 65535) {
            throw new HttpException(HttpException.Kind.BAD_URL, u, "not an absolute http(s) URL with a host", null);
        }
        return u;
    }

    /**
     * Releases the client's connections at once: requests still in flight fail. Never waits (the JDK
     * client's own {@code close} would wait for them while holding the loop).
     */
    @Override
    public void close() {
        jdk.shutdownNow();
        executor.shutdown();
    }

    /** Options of an {@link HttpClient}. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxPerHost = Integer.MAX_VALUE;
        private int retries;
        private Duration backoffBase = Duration.ofMillis(100);
        private Duration backoffCap = Duration.ofSeconds(10);
        /** The largest body {@link #send} can return in one array. */
        public static final long MAX_BODY = Integer.MAX_VALUE - 8;

        private long maxResponseBytes = 64L << 20;
        private int maxRedirects = 5;
        private boolean http11;
        private @Nullable SSLContext tls;

        private Builder() {}

        /** How long connecting may take (default 10 s); must be positive. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Args.positive(Objects.requireNonNull(connectTimeout, "connectTimeout"), "connectTimeout");
            return this;
        }

        /** How long each attempt may take, response body included (default 30 s); must be positive. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Args.positive(Objects.requireNonNull(requestTimeout, "requestTimeout"), "requestTimeout");
            return this;
        }

        /** At most this many requests to one host (scheme, host and port) at once (default: no limit). */
        public Builder maxPerHost(int n) {
            this.maxPerHost = Args.atLeast(n, 1, "maxPerHost");
            return this;
        }

        /** Retries of idempotent requests after connection errors, timeouts, 429 and 503 (default 0). */
        public Builder retries(int n) {
            this.retries = Args.atLeast(n, 0, "retries");
            return this;
        }

        /**
         * The backoff before retry k is random up to {@code base * 2^k}, never over {@code cap}; both
         * must be positive.
         */
        public Builder backoff(Duration base, Duration cap) {
            this.backoffBase = Args.positive(Objects.requireNonNull(base, "base"), "base");
            this.backoffCap = Args.positive(Objects.requireNonNull(cap, "cap"), "cap");
            return this;
        }

        /**
         * The largest response body accepted (default 64 MiB; at most {@value #MAX_BODY} bytes, the
         * largest array: stream bigger bodies with {@link HttpClient#stream}).
         */
        public Builder maxResponseBytes(long n) {
            if (n < 0 || n > MAX_BODY) {
                throw new IllegalArgumentException("maxResponseBytes must be between 0 and " + MAX_BODY + " (bigger"
                        + " bodies: HttpClient.stream), got " + n);
            }
            this.maxResponseBytes = n;
            return this;
        }

        /** Whether to follow redirects: {@code false} is {@code maxRedirects(0)}, {@code true} the default 5. */
        public Builder followRedirects(boolean on) {
            this.maxRedirects = on ? 5 : 0;
            return this;
        }

        /**
         * Follows at most {@code n} redirects of one request (default 5; 0: none, a redirect is then
         * the answer); one more is a {@link HttpException.Kind#TOO_MANY_REDIRECTS}.
         */
        public Builder maxRedirects(int n) {
            this.maxRedirects = Args.atLeast(n, 0, "maxRedirects");
            return this;
        }

        /** HTTP/1.1 only, instead of negotiating HTTP/2. */
        public Builder http11() {
            this.http11 = true;
            return this;
        }

        /** The TLS context (trusted certificates) for https. */
        public Builder tls(SSLContext context) {
            this.tls = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * The client. From a task, a suspension point: building the JDK's client loads the trusted
         * certificates (a fraction of a second the first time), which is done on another thread.
         */
        public HttpClient build() {
            java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
            java.net.http.HttpClient.Builder jb = java.net.http.HttpClient.newBuilder().connectTimeout(connectTimeout)
                    .executor(executor).followRedirects(java.net.http.HttpClient.Redirect.NEVER);
            if (tls != null) {
                jb.sslContext(tls);
            }
            if (http11) {
                jb.version(java.net.http.HttpClient.Version.HTTP_1_1);
            }
            Fiber<?> f = Fiber.current();
            return new HttpClient(this, f == null ? jb.build() : Waits.toThread(f, jb::build), executor);
        }

    }
}
