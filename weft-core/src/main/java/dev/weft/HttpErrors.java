package dev.weft;

import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.regex.Pattern;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** The typed errors of {@link HttpClient}, classified by the type of what the JDK's client threw. */
final class HttpErrors {
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

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

    /**
     * Whether {@code e} is the time limit of one attempt or one connection ({@link #timedOut} made it),
     * not a timeout around the whole call.
     */
    static boolean isAttemptTimeout(Exception e) {
        return e instanceof DeadlineExceededException && (e.getCause() instanceof HttpConnectTimeoutException
                || e.getCause() instanceof DeadlineExceededException);
    }

    /**
     * {@code handler}, but a response whose {@code Content-Length} is not a number of bytes (negative,
     * say: the JDK's client takes it for a broken connection) fails with a {@link ProtocolException}.
     */
    static <B> BodyHandler<B> lengthChecked(BodyHandler<B> handler) {
        return info -> {
            for (String v : info.headers().allValues("content-length")) {
                if (!DIGITS.matcher(v.strip()).matches()) {
                    return rejecting(new ProtocolException("invalid Content-Length: " + v));
                }
            }
            return handler.apply(info);
        };
    }

    /** A body that fails with {@code e} at once, dropping the connection. */
    private static <B> BodySubscriber<B> rejecting(ProtocolException e) {
        CompletableFuture<B> failed = CompletableFuture.failedFuture(e);
        return new BodySubscriber<>() {
            @Override
            public CompletionStage<B> getBody() {
                return failed;
            }

            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.cancel();
            }

            @Override
            public void onNext(List<ByteBuffer> items) {
                // cancelled: nothing is read
            }

            @Override
            public void onError(Throwable t) {
                // the body failed already
            }

            @Override
            public void onComplete() {
                // the body failed already
            }
        };
    }

    /** The kind of the first cause that says more than "refused" (a refused connection may wrap an unknown host). */
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
            }
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
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
