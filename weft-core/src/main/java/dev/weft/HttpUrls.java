package dev.weft;

import java.net.URI;
import java.util.regex.Pattern;

/** URLs as they may be shown: never with their {@code user:password@}. */
final class HttpUrls {
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@");

    private HttpUrls() {}

    /** {@code uri} without its user information. */
    static String display(URI uri) {
        return display(uri.toString());
    }

    /** {@code url} without the user information of its authority, if it has one; any text is accepted. */
    static String display(String url) {
        return USER_INFO.matcher(url).replaceFirst("$1");
    }
}
