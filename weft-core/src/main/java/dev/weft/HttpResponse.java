package dev.weft;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A complete HTTP response: status, headers and body (read in full, within the client's size limit).
 *
 * @param url the URL that answered (after redirects)
 * @param status the status code
 * @param headers the response headers
 * @param body the body's bytes
 */
public record HttpResponse(URI url, int status, HttpHeaders headers, byte[] body) {
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
