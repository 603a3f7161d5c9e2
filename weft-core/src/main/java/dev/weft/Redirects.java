package dev.weft;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Which redirects {@link HttpClient} follows: a 301, 302, 303, 307 or 308 with a {@code Location}
 * to http or https, except from https to http. Any other redirect (to {@code ftp:}, to an app's own
 * scheme, a downgrade to http) is the answer.
 */
final class Redirects {
    private Redirects() {}

    /** The request that follows the redirect {@code status}/{@code location} answered to {@code request} at {@code from}. */
    static Optional<HttpRequest> next(HttpRequest request, URI from, int status, Optional<String> location) {
        if (!isRedirect(status) || location.isEmpty()) {
            return Optional.empty();
        }
        URI to;
        try {
            to = from.resolve(location.get().strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a Location that is no URL: the redirect is the answer
        }
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        boolean downgrade = scheme.equals("http") && "https".equalsIgnoreCase(from.getScheme());
        if (!(scheme.equals("http") || scheme.equals("https")) || downgrade || to.getHost() == null) {
            return Optional.empty();
        }
        boolean sameOrigin = scheme.equalsIgnoreCase(from.getScheme()) && to.getHost().equalsIgnoreCase(from.getHost())
                && to.getPort() == from.getPort();
        boolean keepMethod = status == 307 || status == 308 || (status != 303 && request.method().equals("HEAD"));
        return Optional.of(request.redirectedTo(to.toString(), keepMethod, sameOrigin));
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
