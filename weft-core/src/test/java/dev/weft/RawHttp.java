package dev.weft;

import java.io.IOException;
import java.io.InputStream;

/** Test peers that speak HTTP/1.1 by hand. */
public final class RawHttp {
    private RawHttp() {}

    /** Reads a request's head, up to and including its empty line; null if the stream ends first. */
    public static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
