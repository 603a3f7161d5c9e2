package dev.weft.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The little JSON that {@code weft bench} writes and reads back: objects ({@code Map<String, ?>}, in
 * order), arrays ({@code List}), strings, numbers ({@code Double} when read), booleans. No null.
 */
final class Json {
    private final String text;
    private int at;

    private Json(String text) {
        this.text = text;
    }

    /** {@code value} as JSON, objects indented by two spaces per level. */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, "");
        return sb.toString();
    }

    private static void write(Object value, StringBuilder sb, String indent) {
        switch (value) {
            case Map<?, ?> m -> {
                String inner = indent + "  ";
                sb.append('{');
                String sep = "\n";
                for (var e : m.entrySet()) {
                    sb.append(sep).append(inner);
                    string(String.valueOf(e.getKey()), sb);
                    sb.append(": ");
                    write(e.getValue(), sb, inner);
                    sep = ",\n";
                }
                sb.append(m.isEmpty() ? "}" : "\n" + indent + "}");
            }
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    sb.append(i == 0 ? "" : ", ");
                    write(l.get(i), sb, indent);
                }
                sb.append(']');
            }
            case Double d when d.isNaN() || d.isInfinite() -> throw new IllegalArgumentException("not a JSON number: " + d);
            case Double d -> sb.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue())
                    : String.format(Locale.ROOT, "%.6g", d)
                            .replaceFirst("(\\.\\d*?)0+(?=e|$)", "$1").replaceFirst("\\.(?=e|$)", "")); // 478360 stays
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b);
            default -> string(value.toString(), sb);
        }
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        sb.append('"');
    }

    /** Parses one JSON value; fails with the offset of the first thing it does not understand. */
    static Object read(String text) {
        Json p = new Json(text);
        Object v = p.value();
        p.skipSpace();
        if (p.at != text.length()) {
            throw p.error("end of input");
        }
        return v;
    }

    private Object value() {
        skipSpace();
        char c = peek();
        if (c == '{') {
            return object();
        } else if (c == '[') {
            return array();
        } else if (c == '"') {
            return string();
        } else if (text.startsWith("true", at) || text.startsWith("false", at)) {
            boolean b = text.startsWith("true", at);
            at += b ? 4 : 5;
            return b;
        }
        int start = at;
        while (at < text.length() && "+-.eE0123456789".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        try {
            return Double.parseDouble(text.substring(start, at));
        } catch (NumberFormatException e) {
            at = start;
            throw error("a value");
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            at++;
            return m;
        }
        do {
            skipSpace();
            String key = string();
            skipSpace();
            expect(':');
            m.put(key, value());
            skipSpace();
        } while (next(','));
        expect('}');
        return m;
    }

    private List<Object> array() {
        List<Object> l = new ArrayList<>();
        expect('[');
        skipSpace();
        if (peek() == ']') {
            at++;
            return l;
        }
        do {
            l.add(value());
            skipSpace();
        } while (next(','));
        expect(']');
        return l;
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        for (char c; (c = take()) != '"';) {
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = take();
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("four hex digits");
                    }
                    sb.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }

    private boolean next(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!next(c)) {
            throw error("'" + c + "'");
        }
    }

    private char take() {
        char c = peek();
        at++;
        return c;
    }

    private char peek() {
        if (at >= text.length()) {
            throw error("more input");
        }
        return text.charAt(at);
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("bad JSON at offset " + at + ": expected " + expected);
    }

    /** {@code value} as an object; fails naming {@code what} when it is not one. */
    static Map<?, ?> object(@Nullable Object value, String what) {
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException("bad bench result: " + what + " is not an object");
    }

    /** {@code map.get(key)} as an array; fails naming the key when it is missing or not an array. */
    static List<?> array(Map<?, ?> map, String key) {
        if (map.get(key) instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException("bad bench result: \"" + key + "\" is not an array");
    }

    /** {@code map.get(key)} as a {@code type}; fails naming the key when it is missing or of another type. */
    static <T> T get(Map<?, ?> map, String key, Class<T> type) {
        Object v = map.get(key);
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("bad bench result: \"" + key + "\" is not a " + type.getSimpleName());
        }
        return type.cast(v);
    }
}
