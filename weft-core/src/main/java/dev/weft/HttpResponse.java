package dev.weft;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A complete HTTP response: status, headers and body (read in full, within the client's size
 * limit). Immutable: {@link #body()} returns a copy. A response is something received once, not a
 * value: {@code equals} is identity (decision 0024).
 */
public final class HttpResponse {
    private final URI url;
    private final int status;
    private final HttpHeaders headers;
    private final byte[] body;

    /** Takes {@code body} as it is: the caller hands it over and keeps no reference. */
    HttpResponse(URI url, int status, HttpHeaders headers, byte[] body) {
        this.url = Objects.requireNonNull(url, "url");
        this.status = status;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = Objects.requireNonNull(body, "body");
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

    /** A copy of the body's bytes. */
    public byte[] body() {
        return body.clone();
    }

    /** The body's size in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body's lines, as UTF-8 text. */
    public List<String> lines() {
        return text().lines().toList();
    }

    /** Whether the status is 2xx. */
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
        return "HTTP " + status + " from " + url + " (" + body.length + " bytes)";
    }
}
