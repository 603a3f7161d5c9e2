package dev.weft.testing;

import dev.weft.Weft;
import dev.weft.TcpConnection;
import dev.weft.TcpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A local HTTP/1.1 server that plays "many external APIs" for clients to fetch from on a machine with
 * no internet: every request is answered after a latency, with a payload of a given size and status,
 * or in a hostile way, as configured by {@link Options} and overridden per request by query
 * parameters ({@code ?latency_ms=100&jitter_ms=20&dist=exponential&size=1024&status=200&error_rate=0.1&mode=hang};
 * {@code retry_after=S} adds a {@code Retry-After} header; {@code redirects=N} answers with a chain
 * of N redirects, {@code 302} to {@code /redirected?redirects=N-1}, before the answer).
 * Keep-alive, one task per connection; binds 127.0.0.1 by default.
 *
 * <p>Modes: {@code normal}; {@code hang} (never answers); {@code close} (closes the connection in the
 * middle of the body); {@code malformed} (a response that is not HTTP); {@code trickle} (sends the
 * body a byte at a time, slowly); {@code endless} (a body that never ends). Must be used from a task.
 */
public final class MockApi implements AutoCloseable {
    /** The hostile (and normal) ways of answering. */
    public enum Mode {
        NORMAL, HANG, CLOSE, MALFORMED, TRICKLE, ENDLESS;

        /** The mode named {@code s} (any case). */
        public static Mode parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown mode '" + s + "'; known: normal, hang, close, malformed,"
                        + " trickle, endless");
            }
        }
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

        /** The distribution named {@code s} (any case). */
        public static Distribution parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown distribution '" + s + "'; known: uniform, normal, exponential");
            }
        }

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
     * How requests are answered unless their query says otherwise.
     *
     * @param latency time before answering
     * @param jitter the spread of the random extra latency (see {@code distribution})
     * @param size payload bytes
     * @param status HTTP status of a normal answer
     * @param errorRate share of requests answered 500 instead, from 0 to 1
     * @param mode how to answer
     * @param distribution the shape of the extra latency
     */
    public record Options(Duration latency, Duration jitter, int size, int status, double errorRate, Mode mode,
            Distribution distribution) {
        public Options {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(jitter, "jitter");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(distribution, "distribution");
            if (latency.isNegative() || jitter.isNegative()) {
                throw new IllegalArgumentException("latency and jitter must be >= 0");
            }
            if (size < 0) {
                throw new IllegalArgumentException("size must be >= 0, got " + size);
            }
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status must be an HTTP status (100-599), got " + status);
            }
            if (!(errorRate >= 0 && errorRate <= 1)) {
                throw new IllegalArgumentException("errorRate must be between 0 and 1, got " + errorRate);
            }
        }

        /** Options with a uniform extra latency. */
        public Options(Duration latency, Duration jitter, int size, int status, double errorRate, Mode mode) {
            this(latency, jitter, size, status, errorRate, mode, Distribution.UNIFORM);
        }

        /** Answers at once: 200 with 64 bytes. */
        public static Options defaults() {
            return new Options(Duration.ZERO, Duration.ZERO, 64, 200, 0, Mode.NORMAL);
        }
    }

    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 100;
    /** The largest request body read, and the largest payload sent: 16 MiB. */
    private static final int MAX_BODY = 16 << 20;

    private final Options options;
    private final TcpServer server;
    private long requests;
    private int inFlight;
    private int maxInFlight;
    private long bodyBytes;

    private MockApi(InetSocketAddress address, Options options) throws IOException {
        this.options = options;
        this.server = TcpServer.listen(address, 10_000, this::serve);
    }

    /** Starts a mock API on 127.0.0.1, on {@code port} (0: any free port), in the current loop. */
    public static MockApi start(int port, Options options) throws IOException {
        return new MockApi(new InetSocketAddress("127.0.0.1", port), Objects.requireNonNull(options, "options"));
    }

    /**
     * Starts a mock API in a loop of its own, on a thread of its own, for callers that are not tasks
     * of a loop (tools, tests, a loop with a virtual clock, which a server's sockets would keep from
     * jumping). Close the handle to stop it.
     *
     * @throws IOException if it cannot listen on {@code port}
     */
    public static Background startInBackground(int port, Options options) throws IOException {
        Objects.requireNonNull(options, "options");
        java.util.concurrent.CompletableFuture<String> url = new java.util.concurrent.CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("weft-mock-api").daemon().start(() -> {
            try (dev.weft.Loop loop = dev.weft.Loop.builder().build()) {
                loop.run(() -> {
                    try (MockApi api = start(port, options)) {
                        url.complete(api.baseUrl());
                        Weft.sleepUntil(Long.MAX_VALUE);
                    }
                });
            } catch (Exception e) {
                url.completeExceptionally(e); // failed to start, or stopped by close()
            }
        });
        try {
            return new Background(t, url.get(30, java.util.concurrent.TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
            t.interrupt();
            throw e.getCause() instanceof IOException io ? io : new IOException("the mock API did not start", e);
        } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
            t.interrupt();
            throw new IOException("the mock API did not start", e);
        }
    }

    /** A mock API running on a thread of its own; see {@link #startInBackground}. */
    public static final class Background implements AutoCloseable {
        private final Thread thread;
        private final String baseUrl;

        private Background(Thread thread, String baseUrl) {
            this.thread = thread;
            this.baseUrl = baseUrl;
        }

        /** The base URL, {@code http://127.0.0.1:PORT}. */
        public String baseUrl() {
            return baseUrl;
        }

        /** Stops it: interrupting its loop's thread cancels the loop's main task, which closes the server. */
        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
        return new Statistics(requests, inFlight, maxInFlight, bodyBytes);
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

    private void serve(TcpConnection c) {
        try {
            serveRequests(c);
        } catch (IOException e) {
            // the client went away in the middle of a request or a response: nothing to report
        }
    }

    private void serveRequests(TcpConnection c) throws IOException {
        for (;;) {
            String requestLine = c.readLine(MAX_LINE);
            if (requestLine == null) {
                return; // the client closed the connection
            }
            Request r = Request.parse(requestLine);
            if (r == null) {
                reply(c, 400, "bad request line\n", true);
                return;
            }
            boolean close = r.http10;
            int contentLength = 0;
            boolean chunked = false;
            for (int i = 0;; i++) {
                String h = c.readLine(MAX_LINE);
                if (h == null) {
                    return;
                }
                if (h.isEmpty()) {
                    break;
                }
                if (i == MAX_HEADERS) {
                    reply(c, 431, "too many headers\n", true);
                    return;
                }
                int colon = h.indexOf(':');
                if (colon > 0) {
                    String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).trim();
                    if (name.equals("connection")) {
                        close = value.equalsIgnoreCase("close");
                    } else if (name.equals("content-length")) {
                        try {
                            contentLength = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            contentLength = -1;
                        }
                    } else if (name.equals("transfer-encoding")) {
                        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    }
                }
            }
            if (contentLength < 0 || contentLength > MAX_BODY) {
                reply(c, contentLength < 0 ? 400 : 413, "bad or too large Content-Length\n", true);
                return;
            }
            try {
                if (chunked) {
                    bodyBytes += skipChunks(c); // a request body is read and ignored
                } else if (contentLength > 0) {
                    bodyBytes += c.readExactly(contentLength).length;
                }
            } catch (IllegalArgumentException e) {
                reply(c, 400, "bad chunked body: " + e.getMessage() + "\n", true);
                return;
            }
            requests++;
            maxInFlight = Math.max(maxInFlight, ++inFlight);
            boolean goOn;
            try {
                goOn = answer(c, r, close);
            } finally {
                inFlight--;
            }
            if (!goOn) {
                return;
            }
        }
    }

    /** Reads a chunked body to its end; returns its size. */
    private static long skipChunks(TcpConnection c) throws IOException {
        long total = 0;
        for (;;) {
            String line = requireLine(c);
            int semicolon = line.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
            if (size < 0 || total + size > MAX_BODY) {
                throw new IllegalArgumentException("a chunk of " + size + " bytes goes past the limit of " + MAX_BODY);
            }
            if (size == 0) {
                for (String trailer = requireLine(c); !trailer.isEmpty(); trailer = requireLine(c)) {
                    // trailer fields, up to the empty line
                }
                return total;
            }
            c.readExactly(size);
            requireLine(c); // the chunk's CRLF
            total += size;
        }
    }

    private static String requireLine(TcpConnection c) throws IOException {
        String line = c.readLine(MAX_LINE);
        if (line == null) {
            throw new java.io.EOFException("the client ended in the middle of a chunked body");
        }
        return line;
    }

    /** Answers one request; returns false if the connection must end. */
    private boolean answer(TcpConnection c, Request r, boolean close) throws IOException {
        Options o = options;
        Mode mode;
        long latencyMs;
        long jitterMs;
        Distribution distribution;
        int size;
        int status;
        double errorRate;
        try {
            mode = r.query.containsKey("mode") ? Mode.parse(r.query.get("mode")) : o.mode();
            latencyMs = parseLong(r.query.get("latency_ms"), o.latency().toMillis());
            jitterMs = parseLong(r.query.get("jitter_ms"), o.jitter().toMillis());
            distribution = r.query.containsKey("dist") ? Distribution.parse(r.query.get("dist")) : o.distribution();
            size = parseInt(r.query.get("size"), o.size());
            status = parseInt(r.query.get("status"), o.status());
            errorRate = r.query.containsKey("error_rate") ? Double.parseDouble(r.query.get("error_rate")) : o.errorRate();
            if (size < 0 || size > MAX_BODY || status < 100 || status > 599 || latencyMs < 0 || jitterMs < 0) {
                throw new IllegalArgumentException("out of range: size 0.." + MAX_BODY + ", status 100..599,"
                        + " latency_ms and jitter_ms >= 0");
            }
        } catch (IllegalArgumentException e) {
            reply(c, 400, e.getMessage() + "\n", close);
            return !close;
        }
        long delay = distribution.delayMs(latencyMs, jitterMs, ThreadLocalRandom.current());
        if (delay > 0) {
            Weft.sleep(Duration.ofMillis(delay));
        }
        if (errorRate > 0 && ThreadLocalRandom.current().nextDouble() < errorRate) {
            status = 500;
        }
        long redirects = parseLong(r.query.get("redirects"), 0);
        if (redirects > 0) {
            c.write("HTTP/1.1 302 Found\r\nLocation: /redirected?redirects=" + (redirects - 1) + "\r\nContent-Length: 0"
                    + (close ? "\r\nConnection: close" : "") + "\r\n\r\n");
            c.flush();
            return !close;
        }
        switch (mode) {
            case HANG -> {
                Weft.sleepUntil(Long.MAX_VALUE);
                return false;
            }
            case MALFORMED -> {
                c.write("this is not HTTP\r\n\r\n");
                c.flush();
                return false;
            }
            case CLOSE -> {
                head(c, status, size, false);
                c.write(payload(size / 2));
                c.flush();
                return false; // closed in the middle of the body
            }
            case TRICKLE -> {
                head(c, status, size, close);
                byte[] body = payload(size);
                for (byte b : body) {
                    c.write(new byte[] {b});
                    c.flush();
                    Weft.sleep(Duration.ofMillis(100));
                }
                return !close;
            }
            case ENDLESS -> {
                c.write("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: application/octet-stream\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n");
                byte[] chunk = payload(8192);
                for (;;) {
                    c.write(Integer.toHexString(chunk.length) + "\r\n");
                    c.write(chunk);
                    c.write("\r\n");
                    c.flush();
                }
            }
            default -> {
                String extra = r.query.containsKey("retry_after")
                        ? "\r\nRetry-After: " + parseLong(r.query.get("retry_after"), 0) : "";
                head(c, status, size, close, extra);
                c.write(payload(size));
                c.flush();
                return !close;
            }
        }
    }

    private static void head(TcpConnection c, int status, int size, boolean close) throws IOException {
        head(c, status, size, close, "");
    }

    private static void head(TcpConnection c, int status, int size, boolean close, String extraHeaders)
            throws IOException {
        c.write("HTTP/1.1 " + status + " " + reason(status) + extraHeaders + "\r\nContent-Type: application/json"
                + "\r\nContent-Length: " + size + (close ? "\r\nConnection: close" : "") + "\r\n\r\n");
    }

    private static void reply(TcpConnection c, int status, String text, boolean close) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        c.write("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length + (close ? "\r\nConnection: close" : "") + "\r\n\r\n");
        c.write(body);
        c.flush();
    }

    /** A JSON-ish payload of exactly {@code size} bytes. */
    static byte[] payload(int size) {
        byte[] b = new byte[size];
        String head = "{\"data\":\"";
        for (int i = 0; i < size; i++) {
            b[i] = i < head.length() ? (byte) head.charAt(i) : (byte) 'x';
        }
        if (size >= head.length() + 2) {
            b[size - 2] = '"';
            b[size - 1] = '}';
        }
        return b;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    private static int parseInt(String s, int otherwise) {
        return s == null ? otherwise : Integer.parseInt(s.trim());
    }

    private static long parseLong(String s, long otherwise) {
        return s == null ? otherwise : Long.parseLong(s.trim());
    }

    /** The parts of a request line the mock API uses: the query of its target (any path will do). */
    private record Request(Map<String, String> query, boolean http10) {
        static Request parse(String line) {
            String[] parts = line.split(" ");
            if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                return null;
            }
            String target = parts[1];
            int q = target.indexOf('?');
            Map<String, String> query = new HashMap<>();
            if (q >= 0) {
                for (String kv : target.substring(q + 1).split("&")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        query.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                                URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
            }
            return new Request(query, parts[2].equals("HTTP/1.0"));
        }
    }

    @Override
    public String toString() {
        return "mock API at " + baseUrl();
    }
}
