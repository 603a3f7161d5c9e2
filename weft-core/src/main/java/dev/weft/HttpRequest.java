package dev.weft;

import dev.weft.internal.Args;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request to send with {@link HttpClient#send}: a method, a URL, headers, query parameters
 * and a body. Immutable: each method returns a new request. Every method rejects a null argument.
 * A body ({@code body}, {@code text}, {@code json}, {@code form}) replaces the previous one and its
 * {@code Content-Type}: the last one wins; so does a {@code Content-Type} given with {@link #header}.
 *
 * <pre>{@code
 * HttpRequest r = HttpRequest.post("http://127.0.0.1:8080/orders").json("{\"id\": 1}").header("X-Trace", "a1");
 * }</pre>
 */
public final class HttpRequest {
    private static final String CONTENT_TYPE = "Content-Type";
    private static final List<String> CREDENTIALS = List.of("authorization", "cookie", "proxy-authorization");

    private final String method;
    private final String url;
    private final List<Map.Entry<String, String>> headers;
    private final List<Map.Entry<String, String>> query;
    private final byte @Nullable [] body;
    private final @Nullable Supplier<InputStream> bodyStream;
    private final @Nullable Duration timeout;

    private HttpRequest(String method, String url, List<Map.Entry<String, String>> headers,
            List<Map.Entry<String, String>> query, byte @Nullable [] body, @Nullable Supplier<InputStream> bodyStream,
            @Nullable Duration timeout) {
        this.method = method;
        this.url = url;
        this.headers = headers;
        this.query = query;
        this.body = body;
        this.bodyStream = bodyStream;
        this.timeout = timeout;
    }

    /** A request with {@code method} (GET, POST, ...) to {@code url}. */
    public static HttpRequest of(String method, String url) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        if (method.isEmpty() || !method.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("not an HTTP method: '" + method + "'");
        }
        return new HttpRequest(method.toUpperCase(Locale.ROOT), url, List.of(), List.of(), null, null, null);
    }

    /** A GET of {@code url}. */
    public static HttpRequest get(String url) {
        return of("GET", url);
    }

    /** A HEAD of {@code url}. */
    public static HttpRequest head(String url) {
        return of("HEAD", url);
    }

    /** A DELETE of {@code url}. */
    public static HttpRequest delete(String url) {
        return of("DELETE", url);
    }

    /** A POST to {@code url}. */
    public static HttpRequest post(String url) {
        return of("POST", url);
    }

    /** A PUT to {@code url}. */
    public static HttpRequest put(String url) {
        return of("PUT", url);
    }

    /** This request with a header added ({@code Content-Type}: set, replacing the previous one). */
    public HttpRequest header(String name, String value) {
        return new HttpRequest(method, url, plus(headers, name, value), query, body, bodyStream, timeout);
    }

    /** This request with a query parameter added (encoded as UTF-8). */
    public HttpRequest query(String name, String value) {
        return new HttpRequest(method, url, headers, plus(query, name, value), body, bodyStream, timeout);
    }

    /** This request with {@code bytes} as its body, of type {@code contentType}. */
    public HttpRequest body(byte[] bytes, String contentType) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(contentType, "contentType");
        return new HttpRequest(method, url, plus(headers, CONTENT_TYPE, contentType), query, bytes.clone(), null,
                timeout);
    }

    /**
     * This request with a streamed body of type {@code contentType}: {@code stream} is called for each
     * attempt and read by the client's threads as it sends (chunked, length unknown).
     */
    public HttpRequest body(Supplier<InputStream> stream, String contentType) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(contentType, "contentType");
        return new HttpRequest(method, url, plus(headers, CONTENT_TYPE, contentType), query, null, stream, timeout);
    }

    /** This request with a UTF-8 text body. */
    public HttpRequest text(String text) {
        Objects.requireNonNull(text, "text");
        return body(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    /** This request with a JSON body (the text is sent as it is). */
    public HttpRequest json(String json) {
        Objects.requireNonNull(json, "json");
        return body(json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** This request with a form body ({@code application/x-www-form-urlencoded}). */
    public HttpRequest form(Map<String, String> fields) {
        Objects.requireNonNull(fields, "fields");
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "&").append(encode(k)).append('=').append(encode(v)));
        return body(sb.toString().getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
    }

    /**
     * This request with its own timeout per attempt, instead of the client's.
     *
     * @throws IllegalArgumentException if {@code perAttempt} is zero or negative (a limit set in
     *     advance must be positive; a deadline already near is a {@code Weft.timeout} around the call)
     */
    public HttpRequest timeout(Duration perAttempt) {
        Objects.requireNonNull(perAttempt, "perAttempt");
        return new HttpRequest(method, url, headers, query, body, bodyStream, Args.positive(perAttempt, "timeout"));
    }

    /** The method, in upper case. */
    public String method() {
        return method;
    }

    /** The URL with the query parameters added. */
    public String url() {
        if (query.isEmpty()) {
            return url;
        }
        StringBuilder sb = new StringBuilder(url).append(url.contains("?") ? '&' : '?');
        for (int i = 0; i < query.size(); i++) {
            sb.append(i == 0 ? "" : "&").append(encode(query.get(i).getKey())).append('=')
                    .append(encode(query.get(i).getValue()));
        }
        return sb.toString();
    }

    List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The body as the JDK's client sends it. */
    java.net.http.HttpRequest.BodyPublisher publisher() {
        return bodyStream != null ? java.net.http.HttpRequest.BodyPublishers.ofInputStream(bodyStream)
                : body != null ? java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)
                : java.net.http.HttpRequest.BodyPublishers.noBody();
    }

    @Nullable Duration timeout() {
        return timeout;
    }

    /**
     * This request sent again to {@code target} after a redirect: with its method and body when
     * {@code keepMethod}, else as a GET without a body; without its credentials ({@code Authorization},
     * {@code Cookie}) when the target is another origin.
     */
    HttpRequest redirectedTo(String target, boolean keepMethod, boolean sameOrigin) {
        List<Map.Entry<String, String>> kept = headers.stream()
                .filter(h -> sameOrigin || !CREDENTIALS.contains(h.getKey().toLowerCase(Locale.ROOT)))
                .filter(h -> keepMethod || !h.getKey().equalsIgnoreCase(CONTENT_TYPE)).toList();
        return keepMethod ? new HttpRequest(method, target, kept, List.of(), body, bodyStream, timeout)
                : new HttpRequest("GET", target, kept, List.of(), null, null, timeout);
    }

    /**
     * Whether sending it twice does what sending it once does, so that the client may retry it: the
     * idempotent methods of RFC 9110 (GET, HEAD, OPTIONS, TRACE, PUT, DELETE).
     */
    public boolean idempotent() {
        return switch (method) {
            case "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE" -> true;
            default -> false;
        };
    }

    private static List<Map.Entry<String, String>> plus(List<Map.Entry<String, String>> list, String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        List<Map.Entry<String, String>> l = new ArrayList<>(list);
        if (name.equalsIgnoreCase(CONTENT_TYPE)) {
            l.removeIf(h -> h.getKey().equalsIgnoreCase(CONTENT_TYPE));
        }
        l.add(Map.entry(name, value));
        return List.copyOf(l);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return method + " " + HttpUrls.display(url());
    }
}
