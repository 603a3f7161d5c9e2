package dev.weft.testing;

import dev.weft.TcpConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 spoken by hand over a {@link TcpConnection}, to see exactly what the mock API answers. */
final class RawHttp {
    private RawHttp() {}

    /** A response: status line, headers (lower-case names) and body. */
    record Response(String statusLine, Map<String, String> headers, String body) {
        int status() {
            return Integer.parseInt(statusLine.split(" ", -1)[1]);
        }
    }

    /** Sends a GET of {@code target} and reads its response, which must have a Content-Length. */
    static Response get(TcpConnection c, String target) throws IOException {
        c.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        c.flush();
        String status = c.readLine(1024).orElseThrow(() -> new AssertionError("the connection ended with no answer to "
                + (target.length() > 100 ? target.substring(0, 100) + "..." : target)));
        Map<String, String> headers = new LinkedHashMap<>();
        String h = c.readLine(1024).orElseThrow();
        while (!h.isEmpty()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            h = c.readLine(1024).orElseThrow();
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Response(status, headers, new String(c.readExactly(length), StandardCharsets.UTF_8));
    }
}
