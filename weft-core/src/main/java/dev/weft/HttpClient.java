package dev.weft;

import dev.weft.internal.Args;
import dev.weft.internal.Closing;
import dev.weft.internal.Durations;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
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
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

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
 * <p>Timeouts: each attempt has a timeout (the client's, or the request's own); a {@code Weft.timeout}
 * around {@code send} bounds the whole call, retries included, and is thrown as it is. Retries: an
 * idempotent request (GET, HEAD, PUT, DELETE) that fails to connect, breaks, times out, or is answered
 * 429 or 503 is sent again, up to {@link Builder#retries} times, after an exponential backoff with full
 * jitter, or after the server's {@code Retry-After} when it says so, never longer than the backoff
 * cap. Errors are {@link HttpException}s that name the URL and their {@link HttpException.Kind};
 * error statuses are responses. Cancellation aborts the exchange at once.
 *
 * <p>The per-host limit belongs to the loop that uses the client: use a client from one loop at a
 * time. Close it to release its connections.
 */
public final class HttpClient implements AutoCloseable {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final java.net.http.HttpClient jdk;
    /** Runs the JDK client's dependent actions: a virtual thread each (a streamed request body may block). */
    private final java.util.concurrent.ExecutorService executor;
    private final Duration requestTimeout;
    private final int maxPerHost;
    private final int retries;
    private final Duration backoffBase;
    private final Duration backoffCap;
    private final long maxResponseBytes;
    private final boolean followRedirects;
    private final Map<String, Semaphore> hosts = new HashMap<>();

    private HttpClient(Builder b, java.net.http.HttpClient jdk, java.util.concurrent.ExecutorService executor) {
        this.jdk = jdk;
        this.executor = executor;
        this.requestTimeout = b.requestTimeout;
        this.maxPerHost = b.maxPerHost;
        this.retries = b.retries;
        this.backoffBase = b.backoffBase;
        this.backoffCap = b.backoffCap;
        this.maxResponseBytes = b.maxResponseBytes;
        this.followRedirects = b.followRedirects;
    }

    /** A client with the defaults of {@link Builder}. */
    public static HttpClient create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@link #send} of a GET. */
    public HttpResponse get(String url) throws HttpException {
        return send(HttpRequest.get(url));
    }

    /**
     * Sends {@code request} and returns its complete response; a suspension point.
     *
     * @throws HttpException if it could not be sent or answered (after the retries), naming the URL
     */
    public HttpResponse send(HttpRequest request) throws HttpException {
        Objects.requireNonNull(request, "request");
        Fiber<?> f = Waits.current("HttpClient.send");
        URI uri = uri(request.url());
        Semaphore host = hostSlots(uri);
        for (int attempt = 0;; attempt++) {
            boolean last = attempt >= retries || !request.idempotent();
            HttpResponse r;
            try (Permit _ = host.hold()) {
                r = attempt(f, uri, request);
            } catch (HttpException e) {
                if (last || !retryable(e.kind())) {
                    throw e;
                }
                Weft.sleep(backoff(attempt, Optional.empty()));
                continue;
            }
            if (last || (r.status() != 429 && r.status() != 503)) {
                return r;
            }
            Weft.sleep(backoff(attempt, retryAfter(r)));
        }
    }

    private HttpResponse attempt(Fiber<?> f, URI uri, HttpRequest request) throws HttpException {
        java.net.http.HttpResponse<byte[]> r = exchange(f, uri, request,
                info -> new LimitedBody(maxResponseBytes, info.headers().firstValueAsLong("content-length").orElse(-1)),
                body -> { });
        return new HttpResponse(r.uri(), r.statusCode(), r.headers(), r.body());
    }

    /**
     * Sends {@code request} and returns its response as a stream: the call waits for the status and
     * headers (within the timeout per attempt), then the body is read from the {@link HttpStream} as it
     * comes, without a size limit; the stream holds one of the host's slots (see
     * {@link Builder#maxPerHost}) until it is closed. Not retried. A suspension point; so is each read.
     *
     * @throws HttpException if it could not be sent or answered, naming the URL
     */
    public HttpStream stream(HttpRequest request) throws HttpException {
        Objects.requireNonNull(request, "request");
        Fiber<?> f = Waits.current("HttpClient.stream");
        URI uri = uri(request.url());
        Semaphore host = hostSlots(uri);
        Permit p = host.hold(); // held until the stream is closed
        try {
            java.net.http.HttpResponse<java.io.InputStream> r = exchange(f, uri, request,
                    java.net.http.HttpResponse.BodyHandlers.ofInputStream(), Closing::quietly);
            return new HttpStream(r.uri(), r.statusCode(), r.headers(), r.body(), p);
        } catch (HttpException | RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }

    /**
     * One exchange: sends, and waits without the loop until {@code handler} has the response. If a
     * cancellation ends the wait as the response arrives, {@code drop} gets its body (to close it).
     */
    private <B> java.net.http.HttpResponse<B> exchange(Fiber<?> f, URI uri, HttpRequest request,
            java.net.http.HttpResponse.BodyHandler<B> handler, java.util.function.Consumer<B> drop) throws HttpException {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri).method(request.method(),
                request.publisher());
        try {
            request.headers().forEach(h -> b.header(h.getKey(), h.getValue()));
        } catch (IllegalArgumentException e) {
            throw new HttpException(HttpException.Kind.BAD_URL, uri, "a header is not allowed: " + e.getMessage(), e);
        }
        Duration timeout = request.timeout() != null ? request.timeout() : requestTimeout;
        CompletableFuture<java.net.http.HttpResponse<B>> cf;
        try {
            cf = jdk.sendAsync(b.build(), handler);
        } catch (IllegalArgumentException e) {
            throw new HttpException(HttpException.Kind.BAD_URL, uri, "the JDK's client refused it: " + e.getMessage(), e);
        }
        Timeout t = Weft.timeout(timeout);
        try {
            java.net.http.HttpResponse<B> r = Waits.awaitStage(f, cf, () -> {
                cf.cancel(true);
                cf.thenAccept(x -> drop.accept(x.body())); // it may have arrived just before the cancellation
            });
            if (followRedirects && gaveUpRedirecting(r)) {
                drop.accept(r.body());
                throw new HttpException(HttpException.Kind.TOO_MANY_REDIRECTS, uri, "too many redirects (the last to "
                        + r.headers().firstValue("location").orElse("?") + "; the limit is the system property"
                        + " jdk.httpclient.redirects.retrylimit, default 5)", null);
            }
            return r;
        } catch (DeadlineExceededException e) {
            if (e.isFrom(t)) {
                throw new HttpException(HttpException.Kind.TIMEOUT, uri, "no complete response within " + timeout, e);
            }
            throw e;
        } catch (CompletionException e) {
            throw classify(uri, e.getCause() != null ? e.getCause() : e);
        } catch (IllegalArgumentException e) {
            throw new HttpException(HttpException.Kind.BAD_URL, uri, "the JDK's client refused it: " + e.getMessage(), e);
        } finally {
            t.close();
        }
    }

    /**
     * Whether the JDK's client, following redirects, stopped at its limit: it then returns the last
     * redirect as the response. (It also returns the redirects it never follows — to another scheme
     * than the same or HTTPS, such as HTTPS to HTTP or to an app's own scheme: those are the answer.)
     */
    private static boolean gaveUpRedirecting(java.net.http.HttpResponse<?> r) {
        int s = r.statusCode();
        if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
            return false;
        }
        Optional<String> location = r.headers().firstValue("location");
        if (location.isEmpty()) {
            return false;
        }
        try {
            String to = r.uri().resolve(location.get()).getScheme();
            boolean web = "http".equalsIgnoreCase(to) || "https".equalsIgnoreCase(to);
            return web && (to.equalsIgnoreCase(r.uri().getScheme()) || "https".equalsIgnoreCase(to));
        } catch (IllegalArgumentException e) {
            return false; // a Location the client could not follow either: the redirect is the answer
        }
    }

    /** The per-host limit of {@code uri}'s scheme, host and port (the default port when none is given). */
    private Semaphore hostSlots(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return hosts.computeIfAbsent(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port,
                k -> new Semaphore(maxPerHost));
    }

    /** The typed error for what the JDK's client failed with. */
    static HttpException classify(URI uri, Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof LimitedBody.TooLarge) {
                return new HttpException(HttpException.Kind.BODY_TOO_LARGE, uri, c.getMessage(), e);
            }
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return new HttpException(HttpException.Kind.UNKNOWN_HOST, uri, "unknown host " + uri.getHost(), e);
            }
            if (c instanceof HttpConnectTimeoutException || c instanceof HttpTimeoutException) {
                return new HttpException(HttpException.Kind.TIMEOUT, uri, "timed out", e);
            }
            if (c instanceof SSLException) {
                return new HttpException(HttpException.Kind.TLS, uri, "TLS failed: " + c.getMessage(), e);
            }
            if (c instanceof ProtocolException) {
                return new HttpException(HttpException.Kind.MALFORMED_RESPONSE, uri, "malformed response: "
                        + c.getMessage(), e);
            }
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("redirect")) {
                return new HttpException(HttpException.Kind.TOO_MANY_REDIRECTS, uri, "too many redirects", e);
            }
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return new HttpException(HttpException.Kind.CONNECTION_REFUSED, uri, "connection refused", e);
            }
        }
        return new HttpException(HttpException.Kind.CONNECTION_FAILED, uri, "the connection failed: " + e, e);
    }

    private static boolean retryable(HttpException.Kind kind) {
        return kind == HttpException.Kind.CONNECTION_REFUSED || kind == HttpException.Kind.CONNECTION_FAILED
                || kind == HttpException.Kind.TIMEOUT;
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
    static Optional<Duration> retryAfter(HttpResponse r) {
        return r.headers().firstValue("retry-after").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
            } catch (NumberFormatException e) {
                try {
                    Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v.trim(), HTTP_DATE));
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
            throw new HttpException(HttpException.Kind.BAD_URL, URI.create("about:invalid"), "bad URL '" + url + "': "
                    + e.getReason(), e);
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
        private boolean followRedirects = true;
        private boolean http11;
        private SSLContext tls;

        private Builder() {}

        /** How long connecting may take (default 10 s); must be positive. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /** How long each attempt may take, response body included (default 30 s); must be positive. */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = positive(d, "requestTimeout");
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
            this.backoffBase = positive(base, "base");
            this.backoffCap = positive(cap, "cap");
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

        /** Whether to follow redirects (default: yes, except from https to http). */
        public Builder followRedirects(boolean on) {
            this.followRedirects = on;
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
                    .executor(executor)
                    .followRedirects(followRedirects ? java.net.http.HttpClient.Redirect.NORMAL
                            : java.net.http.HttpClient.Redirect.NEVER);
            if (tls != null) {
                jb.sslContext(tls);
            }
            if (http11) {
                jb.version(java.net.http.HttpClient.Version.HTTP_1_1);
            }
            Fiber<?> f = Fiber.current();
            return new HttpClient(this, f == null ? jb.build() : Waits.toThread(f, jb::build), executor);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }
    }
}
