package dev.weft.testing;

import dev.weft.Loop;
import dev.weft.TcpServer;
import dev.weft.Weft;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * A local HTTP/1.1 server that plays "many external APIs" for clients to fetch from on a machine with
 * no internet: every request is answered after a latency, with a payload of a given size and status,
 * or in a hostile way, as set by its {@link Builder} and overridden per request by the
 * {@linkplain Parameter query parameters} of the request's URL, for example
 * {@code /users/1?latency_ms=100&jitter_ms=20&dist=exponential&size=1024&status=200&error_rate=0.1&mode=hang};
 * {@code retry_after=S} adds a {@code Retry-After} header, {@code redirects=N} answers with a chain of
 * N redirects, {@code 302} to {@code /redirected?redirects=N-1}, before the answer. Any path will do;
 * other parameters are ignored. A bad value of a parameter is answered {@code 400 Bad Request} with a
 * body that names the parameter and says what it may be.
 *
 * <p>Keep-alive, one task per connection; listens on 127.0.0.1 only. A mock API belongs to the loop
 * it was built in: call its methods from that loop's tasks ({@link Builder#buildInBackground()} runs
 * one in a loop and a thread of its own, for callers that are not tasks).
 *
 * <pre>{@code
 * try (MockApi api = MockApi.builder().latency(Duration.ofMillis(50)).build()) { // in a task
 *     HttpResponse r = http.get(api.baseUrl() + "/users/1?status=503&retry_after=2");
 * }
 * }</pre>
 */
public final class MockApi implements AutoCloseable {
    /** The largest payload it sends, and the largest request body it reads: 16 MiB. */
    static final int MAX_SIZE = 16 << 20;
    /** The longest latency and jitter: an hour ({@code mode=hang} never answers). */
    static final Duration MAX_DELAY = Duration.ofHours(1);

    /** The hostile (and normal) ways of answering. */
    public enum Mode {
        /** A normal answer. */
        NORMAL,
        /** Never answers. */
        HANG,
        /** Closes the connection in the middle of the body. */
        CLOSE,
        /** Answers with something that is not HTTP. */
        MALFORMED,
        /** Sends the body a byte at a time, one every 100 ms. */
        TRICKLE,
        /** Sends a chunked body that never ends. */
        ENDLESS
    }

    /**
     * The shape of the latency: an answer waits the latency plus a random extra whose spread is the
     * jitter.
     */
    public enum Distribution {
        /** An extra uniformly between 0 and the jitter. */
        UNIFORM,
        /** A normal extra with mean 0 and the jitter as standard deviation (the wait is never below 0). */
        NORMAL,
        /** An exponential extra with the jitter as mean: mostly quick, with a long tail, as real APIs. */
        EXPONENTIAL;

        /** A wait in ms: {@code latencyMs} plus an extra of spread {@code jitterMs} drawn from {@code random}; >= 0. */
        long delayMs(long latencyMs, long jitterMs, java.util.random.RandomGenerator random) {
            if (jitterMs <= 0) {
                return latencyMs;
            }
            long extra = switch (this) {
                case UNIFORM -> random.nextLong(jitterMs + 1);
                case NORMAL -> Math.round(random.nextGaussian() * jitterMs);
                case EXPONENTIAL -> Math.round(random.nextExponential() * jitterMs);
            };
            return Math.max(0, latencyMs + extra);
        }
    }

    /**
     * The query parameters a request may give, each with the values it may take. The same rules apply
     * to the {@link Builder}'s options and to {@code weft mock-api}'s; each of the three names an option
     * in its own spelling when it rejects a value.
     */
    public enum Parameter {
        /** The latency of this answer; see {@link Builder#latency}. */
        LATENCY_MS("latency_ms", "a whole number of milliseconds", 0, MAX_DELAY.toMillis()),
        /** The jitter of this answer; see {@link Builder#jitter}. */
        JITTER_MS("jitter_ms", "a whole number of milliseconds", 0, MAX_DELAY.toMillis()),
        /** The distribution of this answer's jitter; see {@link Builder#distribution}. */
        DIST("dist", oneOf(Distribution.values())),
        /** The payload size of this answer; see {@link Builder#size}. */
        SIZE("size", "a whole number of bytes", 0, MAX_SIZE),
        /** The status of this answer; see {@link Builder#status}. */
        STATUS("status", "an HTTP status", 100, 599),
        /** The chance that this answer is a 500; see {@link Builder#errorRate}. */
        ERROR_RATE("error_rate", "a number from 0 to 1"),
        /** How to answer; see {@link Builder#mode}. */
        MODE("mode", oneOf(Mode.values())),
        /** Adds a {@code Retry-After} header of this many seconds to a normal answer. */
        RETRY_AFTER("retry_after", "a whole number of seconds", 0, Integer.MAX_VALUE),
        /** Answers with this many redirects first, each to {@code /redirected?redirects=N-1}. */
        REDIRECTS("redirects", "a whole number", 0, Integer.MAX_VALUE);

        private final String queryName;
        private final String allowed;
        private final long min;
        private final long max;

        /** A whole-number parameter: {@code what} from {@code min} to {@code max}. */
        Parameter(String queryName, String what, long min, long max) {
            this.queryName = queryName;
            this.allowed = what + " from " + min + " to " + max;
            this.min = min;
            this.max = max;
        }

        /** A parameter of another kind, whose values are {@code allowed}. */
        Parameter(String queryName, String allowed) {
            this.queryName = queryName;
            this.allowed = allowed;
            this.min = 0;
            this.max = 0;
        }

        /** Its name in a query, as {@code error_rate}. */
        public String queryName() {
            return queryName;
        }

        /** The values it may take, as {@code "a number from 0 to 1"}. */
        public String allowed() {
            return allowed;
        }

        /** The value of the whole-number parameter spelled {@code text} (ASCII digits). */
        long wholeNumber(String text) {
            if (!text.matches("[0-9]{1,18}")) {
                throw rejected(text);
            }
            long value = Long.parseLong(text);
            if (value < min || value > max) {
                throw rejected(text);
            }
            return value;
        }

        /** {@code value} if it is between this whole-number parameter's bounds. */
        long checkWholeNumber(String name, long value) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be " + allowed + ", got " + value);
            }
            return value;
        }

        /** The value of the parameter from 0 to 1 spelled {@code text}. */
        double share(String text) {
            try {
                return checkShare(queryName, Double.parseDouble(text));
            } catch (IllegalArgumentException e) { // NumberFormatException included
                throw rejected(text);
            }
        }

        /** {@code value} if it is from 0 to 1. */
        double checkShare(String name, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(name + " must be " + allowed + ", got " + value);
            }
            return value;
        }

        /** The constant of {@code type} spelled {@code text} (any case). */
        <E extends Enum<E>> E constant(Class<E> type, String text) {
            try {
                return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw rejected(text);
            }
        }

        /** The rejection of {@code text} as this parameter's value. */
        IllegalArgumentException rejected(String text) {
            return new IllegalArgumentException(queryName + " must be " + allowed + ", got '" + text + "'");
        }

        /** The parameter named {@code queryName}, if any. */
        static java.util.Optional<Parameter> named(String queryName) {
            return Arrays.stream(values()).filter(p -> p.queryName.equals(queryName)).findFirst();
        }

        private static String oneOf(Enum<?>[] constants) {
            String names = Arrays.stream(constants).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
            int last = names.lastIndexOf(", ");
            return names.substring(0, last) + " or " + names.substring(last + 2);
        }
    }

    /** A builder of mock APIs: answers at once, 200 with 64 bytes, on any free port, unless told otherwise. */
    public static MockApi.Builder builder() {
        return new Builder();
    }

    /**
     * The options of a {@link MockApi}: how it answers unless a request's query says otherwise, and
     * where it listens. Each option method rejects a value out of its range at once, with an
     * {@link IllegalArgumentException} that names the option and the value.
     */
    public static final class Builder {
        private int port;
        private Duration latency = Duration.ZERO;
        private Duration jitter = Duration.ZERO;
        private Distribution distribution = Distribution.UNIFORM;
        private int size = 64;
        private int status = 200;
        private double errorRate;
        private Mode mode = Mode.NORMAL;

        private Builder() {}

        /** The port on 127.0.0.1, from 0 to 65535; 0 (the default): any free port, see {@link MockApi#port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The time before each answer, from zero (the default) to an hour, to the millisecond (the rest
         * is dropped); the query's {@code latency_ms} overrides it.
         */
        public Builder latency(Duration latency) {
            this.latency = delay("latency", latency);
            return this;
        }

        /**
         * The spread of a random extra latency, drawn from the {@link #distribution}, from zero (the
         * default: no extra) to an hour, to the millisecond; the query's {@code jitter_ms} overrides it.
         */
        public Builder jitter(Duration jitter) {
            this.jitter = delay("jitter", jitter);
            return this;
        }

        /** The shape of the extra latency (default: uniform); the query's {@code dist} overrides it. */
        public Builder distribution(Distribution distribution) {
            this.distribution = Objects.requireNonNull(distribution, "distribution");
            return this;
        }

        /** The payload bytes, from 0 to 16 MiB (default: 64); the query's {@code size} overrides it. */
        public Builder size(int size) {
            this.size = (int) Parameter.SIZE.checkWholeNumber("size", size);
            return this;
        }

        /** The status of a normal answer, from 100 to 599 (default: 200); the query's {@code status} overrides it. */
        public Builder status(int status) {
            this.status = (int) Parameter.STATUS.checkWholeNumber("status", status);
            return this;
        }

        /**
         * The share of answers that are {@code 500} instead, at random, from 0 (the default) to 1; the
         * query's {@code error_rate} overrides it.
         */
        public Builder errorRate(double errorRate) {
            this.errorRate = Parameter.ERROR_RATE.checkShare("errorRate", errorRate);
            return this;
        }

        /** How to answer (default: normally); the query's {@code mode} overrides it. */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Starts the mock API in the current loop: it serves until it is closed or its loop ends. Must be
         * called from a task; see {@link #buildInBackground()} otherwise.
         *
         * @throws IOException if it cannot listen on its port
         * @throws IllegalStateException if not called from a task
         */
        public MockApi build() throws IOException {
            if (!Weft.inTask()) {
                throw new IllegalStateException("MockApi.Builder.build() must be called from a task of a loop;"
                        + " buildInBackground() starts one in a loop of its own");
            }
            return new MockApi(port, answer());
        }

        /**
         * Starts the mock API in a loop of its own, on a thread of its own, for callers that are not tasks
         * of a loop (tools, tests, a loop with a virtual clock, which a server's sockets would keep from
         * jumping). Returns once it listens; close the handle to stop it.
         *
         * @throws IOException if it cannot listen on its port
         * @throws InterruptedIOException if the calling thread is interrupted while it starts (its
         *         interrupt status is set again)
         */
        public Background buildInBackground() throws IOException {
            return Background.start(port, answer());
        }

        private Answer answer() {
            return new Answer(latency.toMillis(), jitter.toMillis(), distribution, size, status, errorRate, mode,
                    OptionalLong.empty(), 0);
        }

        private static Duration delay(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.compareTo(MAX_DELAY) > 0) {
                throw new IllegalArgumentException(name + " must be from 0 to 1 hour, got " + d);
            }
            return d;
        }
    }

    private final TcpServer server;
    private final Responder responder;

    private MockApi(int port, Answer defaults) throws IOException {
        this.responder = new Responder(defaults);
        this.server = TcpServer.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000, responder::serve);
    }

    /** A mock API running in a loop of its own, on a thread of its own; see {@link Builder#buildInBackground()}. */
    public static final class Background implements AutoCloseable {
        private final Thread thread;
        private final String baseUrl;

        private Background(Thread thread, String baseUrl) {
            this.thread = thread;
            this.baseUrl = baseUrl;
        }

        private static Background start(int port, Answer defaults) throws IOException {
            CompletableFuture<String> url = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().name("weft-mock-api").daemon().start(() -> {
                try (Loop loop = Loop.builder().build()) {
                    loop.run(() -> {
                        try (MockApi api = new MockApi(port, defaults)) {
                            url.complete(api.baseUrl());
                            Weft.sleepForever(); // until close() cancels the run
                        }
                    });
                } catch (Throwable e) {
                    url.completeExceptionally(e); // it did not start, or close() stopped it
                    if (e instanceof Error error) {
                        throw error;
                    }
                }
            });
            try {
                return new Background(t, url.get());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                } else if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw new IOException("the mock API did not start", cause);
            } catch (InterruptedException e) {
                t.interrupt();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the mock API started");
            }
        }

        /** The base URL, {@code http://127.0.0.1:PORT}. */
        public String baseUrl() {
            return baseUrl;
        }

        /**
         * Stops it and waits until it has: interrupting its loop's thread cancels the loop's main task,
         * which closes the server and its connections. If the calling thread is interrupted while it
         * waits, it returns with its interrupt status set.
         */
        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            return "mock API at " + baseUrl + " (in the background)";
        }
    }

    /** The base URL, {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /** A snapshot of what the mock API has served. */
    public Statistics statistics() {
        return responder.statistics();
    }

    /**
     * What a {@link MockApi} has served.
     *
     * @param requests requests received
     * @param inFlight requests being answered now
     * @param maxInFlight the most answered at once
     * @param bodyBytes request body bytes received
     */
    public record Statistics(long requests, int inFlight, int maxInFlight, long bodyBytes) {}

    /** Stops: no more connections, and the open ones are closed. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "mock API at " + baseUrl();
    }
}
