package dev.weft.testing;

import dev.weft.testing.MockApi.Distribution;
import dev.weft.testing.MockApi.Mode;
import dev.weft.testing.MockApi.Parameter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How to answer a request: the mock API's options, overridden by the request's query.
 *
 * @param retryAfter the seconds of a {@code Retry-After} header, if any
 * @param redirects the redirects to answer with before the answer
 */
record Answer(long latencyMs, long jitterMs, Distribution distribution, int size, int status, double errorRate,
        Mode mode, OptionalLong retryAfter, long redirects) {

    /**
     * This answer with the parameters of {@code query} (the request target's text after {@code ?},
     * still percent-encoded) in place of its own; parameters it does not know are ignored.
     *
     * @throws IllegalArgumentException if a parameter's value is not allowed or the query is not
     *         percent-encoded correctly, with a message that names the parameter and says what it may be
     */
    Answer overriddenBy(String query) {
        Map<Parameter, String> given = new EnumMap<>(Parameter.class);
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a query parameter's name");
            String value = decode(eq < 0 ? "" : pair.substring(eq + 1), "the value of " + name);
            Parameter.named(name).ifPresent(p -> given.put(p, value));
        }
        String retryAfterText = given.get(Parameter.RETRY_AFTER);
        return new Answer(
                wholeNumber(given, Parameter.LATENCY_MS, latencyMs),
                wholeNumber(given, Parameter.JITTER_MS, jitterMs),
                constant(given, Parameter.DIST, Distribution.class, distribution),
                (int) wholeNumber(given, Parameter.SIZE, size),
                (int) wholeNumber(given, Parameter.STATUS, status),
                given.containsKey(Parameter.ERROR_RATE) ? Parameter.ERROR_RATE.share(given.get(Parameter.ERROR_RATE))
                        : errorRate,
                constant(given, Parameter.MODE, Mode.class, mode),
                retryAfterText == null ? retryAfter : OptionalLong.of(Parameter.RETRY_AFTER.wholeNumber(retryAfterText)),
                wholeNumber(given, Parameter.REDIRECTS, redirects));
    }

    private static long wholeNumber(Map<Parameter, String> given, Parameter p, long otherwise) {
        String text = given.get(p);
        return text == null ? otherwise : p.wholeNumber(text);
    }

    private static <E extends Enum<E>> E constant(Map<Parameter, String> given, Parameter p, Class<E> type,
            E otherwise) {
        String text = given.get(p);
        return text == null ? otherwise : p.constant(type, text);
    }

    private static String decode(String raw, String what) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not percent-encoded correctly, got '" + raw
                    + "': a % must be followed by two hexadecimal digits");
        }
    }
}
