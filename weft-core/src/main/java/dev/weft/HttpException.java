package dev.weft;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request that failed, naming its URL and saying why ({@link #kind()}): the typed errors of
 * {@link HttpClient}. Responses with error statuses (404, 500) are not exceptions; they are
 * {@link HttpResponse}s. A time limit passed is a {@link DeadlineExceededException} (decision 0012).
 * The message is {@code reason: url}, the URL without its {@code user:password@}.
 */
public final class HttpException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why a request failed. */
    public enum Kind {
        /** The URL is not an absolute http(s) URL. */
        BAD_URL,
        /** The host name does not resolve. */
        UNKNOWN_HOST,
        /** Nothing listens at the address. */
        CONNECTION_REFUSED,
        /** The connection broke: reset, or closed before the response was complete. */
        CONNECTION_FAILED,
        /** The TLS handshake failed (untrusted certificate, wrong host, no common protocol). */
        TLS,
        /** The server's answer is not valid HTTP (a bad status line, a negative {@code Content-Length}...). */
        MALFORMED_RESPONSE,
        /** The response body is larger than the client's limit. */
        BODY_TOO_LARGE,
        /** The redirects did not end within the limit ({@link HttpClient.Builder#maxRedirects}). */
        TOO_MANY_REDIRECTS
    }

    private final transient @Nullable URI url;
    private final Kind kind;
    private final String reason;

    HttpException(Kind kind, URI url, String reason, @Nullable Throwable cause) {
        this(kind, url, HttpUrls.display(url), reason, cause);
    }

    /** For a URL that does not parse: {@code text} is shown (without its user information). */
    HttpException(Kind kind, @Nullable URI url, String text, String reason, @Nullable Throwable cause) {
        super(reason + ": " + text, cause);
        this.kind = kind;
        this.url = url;
        this.reason = reason;
    }

    /** Why the request failed. */
    public Kind kind() {
        return kind;
    }

    /** What went wrong, without the URL ({@link #getMessage()} adds it). */
    public String reason() {
        return reason;
    }

    /** The URL of the failed request; empty when it is not a URL at all. */
    public Optional<URI> url() {
        return Optional.ofNullable(url);
    }
}
