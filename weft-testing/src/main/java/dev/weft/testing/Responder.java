package dev.weft.testing;

import dev.weft.LimitExceededException;
import dev.weft.TcpConnection;
import dev.weft.Weft;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A mock API's HTTP/1.1 side: reads the requests of each connection and answers them as their
 * {@link Answer} says. One per server; its connections' tasks all run on the server's loop, so its
 * counts need no lock.
 */
final class Responder {
    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 100;

    private final Answer defaults;
    private long requests;
    private int inFlight;
    private int maxInFlight;
    private long bodyBytes;

    Responder(Answer defaults) {
        this.defaults = defaults;
    }

    MockApi.Statistics statistics() {
        return new MockApi.Statistics(requests, inFlight, maxInFlight, bodyBytes);
    }

    /** Serves one connection until it ends. */
    void serve(TcpConnection c) {
        try {
            serveRequests(c);
        } catch (IOException e) {
            // the client went away in the middle of a request or a response: nothing to report
        }
    }

    private void serveRequests(TcpConnection c) throws IOException {
        for (;;) {
            Optional<String> requestLine;
            try {
                requestLine = c.readLine(MAX_LINE);
            } catch (LimitExceededException e) {
                reply(c, 414, "the request line is longer than " + MAX_LINE + " bytes\n", true);
                return;
            }
            if (requestLine.isEmpty()) {
                return; // the client closed the connection
            }
            Optional<Request> parsed = Request.parse(requestLine.get());
            if (parsed.isEmpty()) {
                reply(c, 400, "bad request line\n", true);
                return;
            }
            Request r = parsed.get();
            boolean close = r.http10();
            int contentLength = 0;
            boolean chunked = false;
            for (int i = 0;; i++) {
                String h;
                try {
                    Optional<String> line = c.readLine(MAX_LINE);
                    if (line.isEmpty()) {
                        return;
                    }
                    h = line.get();
                } catch (LimitExceededException e) {
                    reply(c, 431, "a header line is longer than " + MAX_LINE + " bytes\n", true);
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
            if (contentLength < 0 || contentLength > MockApi.MAX_SIZE) {
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
            if (size < 0 || total + size > MockApi.MAX_SIZE) {
                throw new IllegalArgumentException("a chunk of " + size + " bytes goes past the limit of "
                        + MockApi.MAX_SIZE);
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
        return c.readLine(MAX_LINE).orElseThrow(() -> new EOFException("the client ended in the middle of a chunked body"));
    }

    /** Answers one request; returns false if the connection must end. */
    private boolean answer(TcpConnection c, Request r, boolean close) throws IOException {
        Answer a;
        try {
            a = defaults.overriddenBy(r.query());
        } catch (IllegalArgumentException e) {
            reply(c, 400, e.getMessage() + "\n", close);
            return !close;
        }
        long delay = a.distribution().delayMs(a.latencyMs(), a.jitterMs(), ThreadLocalRandom.current());
        if (delay > 0) {
            Weft.sleep(Duration.ofMillis(delay));
        }
        int status = a.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < a.errorRate() ? 500 : a.status();
        if (a.redirects() > 0) {
            c.write("HTTP/1.1 302 Found\r\nLocation: /redirected?redirects=" + (a.redirects() - 1)
                    + "\r\nContent-Length: 0" + (close ? "\r\nConnection: close" : "") + "\r\n\r\n");
            c.flush();
            return !close;
        }
        int size = a.size();
        return switch (a.mode()) {
            case HANG -> {
                Weft.sleepForever(); // until the server closes the connection
                yield false;
            }
            case MALFORMED -> {
                c.write("this is not HTTP\r\n\r\n");
                c.flush();
                yield false;
            }
            case CLOSE -> {
                head(c, status, size, false, "");
                c.write(payload(size / 2));
                c.flush();
                yield false; // closed in the middle of the body
            }
            case TRICKLE -> {
                head(c, status, size, close, "");
                for (byte b : payload(size)) {
                    c.write(new byte[] {b});
                    c.flush();
                    Weft.sleep(Duration.ofMillis(100));
                }
                yield !close;
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
            case NORMAL -> {
                String extra = a.retryAfter().isPresent() ? "\r\nRetry-After: " + a.retryAfter().getAsLong() : "";
                head(c, status, size, close, extra);
                c.write(payload(size));
                c.flush();
                yield !close;
            }
        };
    }

    private static void head(TcpConnection c, int status, int size, boolean close, String extraHeaders)
            throws IOException {
        c.write("HTTP/1.1 " + status + " " + reason(status) + extraHeaders + "\r\nContent-Type: application/json"
                + "\r\nContent-Length: " + size + (close ? "\r\nConnection: close" : "") + "\r\n\r\n");
    }

    private static void reply(TcpConnection c, int status, String text, boolean close) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        c.write("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: text/plain; charset=utf-8"
                + "\r\nContent-Length: " + body.length + (close ? "\r\nConnection: close" : "") + "\r\n\r\n");
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
            case 302 -> "Found";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** The parts of a request line the mock API uses: the query of its target (any path will do). */
    private record Request(String query, boolean http10) {
        static Optional<Request> parse(String line) {
            String[] parts = line.split(" ", 0); // 0: trailing empty parts dropped, as before
            if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                return Optional.empty();
            }
            String target = parts[1];
            int q = target.indexOf('?');
            return Optional.of(new Request(q < 0 ? "" : target.substring(q + 1), parts[2].equals("HTTP/1.0")));
        }
    }
}
