package dev.weft;

import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** The typed errors of {@link HttpClient}, classified by the type of what the JDK's client threw. */
final class HttpErrors {
    private HttpErrors() {}

    /**
     * What the JDK's client failed with, as Weft's error: an {@link HttpException} returned, or the
     * {@link DeadlineExceededException} of its connect timeout (naming {@code connectTimeout}) thrown.
     */
    static HttpException classify(URI uri, Throwable e, Duration connectTimeout) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof HttpConnectTimeoutException) {
                throw timedOut("connecting to", uri, "HttpClient.Builder connectTimeout", connectTimeout, c);
            }
        }
        return failure(uri, e);
    }

    /** The {@link HttpException} for a failure of the exchange or of reading its body. */
    static HttpException failure(URI uri, Throwable e) {
        return kindOf(e).map(k -> new HttpException(k, uri, reason(k, e), e))
                .orElseGet(() -> new HttpException(HttpException.Kind.CONNECTION_FAILED, uri, "the connection failed ("
                        + e.getClass().getSimpleName() + ")", e));
    }

    /** A time limit passed: what took too long, at which URL, and the option it exceeded. */
    static DeadlineExceededException timedOut(String what, URI uri, String option, Duration limit, Throwable cause) {
        DeadlineExceededException e = new DeadlineExceededException(what + " " + HttpUrls.display(uri)
                + " took longer than " + option + " (" + limit + ")");
        e.initCause(cause);
        return e;
    }

    private static Optional<HttpException.Kind> kindOf(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof LimitedBody.TooLarge) {
                return Optional.of(HttpException.Kind.BODY_TOO_LARGE);
            } else if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return Optional.of(HttpException.Kind.UNKNOWN_HOST);
            } else if (c instanceof SSLException) {
                return Optional.of(HttpException.Kind.TLS);
            } else if (c instanceof ProtocolException) {
                return Optional.of(HttpException.Kind.MALFORMED_RESPONSE);
            } else if (c instanceof ConnectException) {
                return Optional.of(HttpException.Kind.CONNECTION_REFUSED);
            }
        }
        return Optional.empty();
    }

    private static String reason(HttpException.Kind kind, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return switch (kind) {
            case BODY_TOO_LARGE -> detail;
            case UNKNOWN_HOST -> "unknown host";
            case CONNECTION_REFUSED -> "connection refused";
            case TLS -> "TLS failed: " + detail;
            default -> "malformed response: " + detail;
        };
    }
}
