package dev.weft;

import dev.weft.internal.Closing;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Objects;

/**
 * A response whose body is read as it comes ({@link HttpClient#stream}): for large or endless
 * bodies. Each {@link #read} is a suspension point: the task waits without holding the loop. A
 * cancellation or timeout during a read closes the stream. Close it when done (try-with-resources),
 * from a task of the loop that opened it: the stream counts against its host's limit of the client
 * until then; closing before the end drops the rest of the body and the connection.
 */
public final class HttpStream implements AutoCloseable {
    private final URI url;
    private final int status;
    private final HttpHeaders headers;
    private final InputStream body;
    private final Permit slot;

    HttpStream(URI url, int status, HttpHeaders headers, InputStream body, Permit slot) {
        this.url = url;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.slot = slot;
    }

    /** The URL that answered: the request's, or the last redirect's target. */
    public URI url() {
        return url;
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The response headers. */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * Reads up to {@code len} bytes of the body, at least one, waiting for them; -1 at its end.
     *
     * @throws HttpException if the connection breaks, naming the URL
     */
    public int read(byte[] b, int off, int len) throws HttpException {
        Objects.requireNonNull(b, "b");
        Objects.checkFromIndexSize(off, len, b.length);
        Fiber<?> f = Waits.current("HttpStream.read");
        try {
            return f.withoutTurn(WaitReason.READ, this, () -> body.read(b, off, len), () -> Closing.quietly(body));
        } catch (IOException e) {
            throw HttpErrors.failure(url, e);
        }
    }

    /** Drops the rest of the body and gives back the host's slot. Idempotent. */
    @Override
    public void close() {
        try {
            Closing.quietly(body);
        } finally {
            slot.close();
        }
    }


    @Override
    public String toString() {
        return "the body of HTTP " + status + " from " + url;
    }
}
