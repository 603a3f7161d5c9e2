package dev.weft;

import java.io.IOException;
import java.net.URI;

/**
 * A request that failed, naming its URL and saying why ({@link #kind()}): the typed errors of
 * {@link HttpClient}. Responses with error statuses (404, 500) are not exceptions; they are
 * {@link HttpResponse}s.
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
        /** The request took longer than its timeout. */
        TIMEOUT,
        /** The TLS handshake failed (untrusted certificate, wrong host, no common protocol). */
        TLS,
        /** The server's answer is not valid HTTP. */
        MALFORMED_RESPONSE,
        /** The response body is larger than the client's limit. */
        BODY_TOO_LARGE,
        /** The redirects did not end within the limit. */
        TOO_MANY_REDIRECTS
    }

    private final transient URI url;
    private final Kind kind;

    HttpException(Kind kind, URI url, String message, Throwable cause) {
        super(message + ": " + url, cause);
        this.kind = kind;
        this.url = url;
    }

    /** Why the request failed. */
    public Kind kind() {
        return kind;
    }

    /** The URL of the failed request. */
    public URI url() {
        return url;
    }
}
