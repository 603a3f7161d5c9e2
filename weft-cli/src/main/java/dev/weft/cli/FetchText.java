package dev.weft.cli;

import java.util.Locale;
import java.util.regex.Pattern;

/** Text from servers and users made safe to print: no control characters, no {@code user:password@}. */
final class FetchText {
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@");

    private FetchText() {}

    /** {@code url} without the user information of its authority. */
    static String withoutUserInfo(String url) {
        return USER_INFO.matcher(url).replaceFirst("$1");
    }

    /** {@code s} with every control character (C0, DEL, C1) as {@code \\uXXXX}: nothing reaches the terminal raw. */
    static String escaped(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code s} as a JSON string. */
    static String json(String s) {
        return "\"" + escaped(s.replace("\\", "\\\\").replace("\"", "\\\"")) + "\"";
    }
}
