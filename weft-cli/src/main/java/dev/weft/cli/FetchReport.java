package dev.weft.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The lines of {@code weft fetch} on stdout: a table row or a JSON object per URL. Everything that
 * came from a server or a URL is escaped (no control character reaches the terminal).
 */
final class FetchReport {
    private final PrintWriter out;
    private final boolean json;

    FetchReport(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /**
     * Prints {@code r}'s line.
     *
     * @return false if stdout is closed (a reader such as {@code head -1} went away): time to stop
     */
    boolean print(FetchResult r) {
        out.println(json ? json(r) : row(r));
        return !out.checkError(); // flushes
    }

    static String row(FetchResult r) {
        StringBuilder sb = new StringBuilder();
        if (r.error().isPresent()) {
            sb.append(String.format(Locale.ROOT, "ERR %7d ms %10s    %s  (%s)", r.millis(), "-",
                    FetchText.escaped(r.url()), FetchText.escaped(r.error().get())));
        } else {
            sb.append(String.format(Locale.ROOT, "%3d %7d ms %10d B  %s", r.status(), r.millis(), r.bytes(),
                    FetchText.escaped(r.url())));
        }
        r.finalUrl().filter(u -> !u.equals(r.url())).ifPresent(u -> sb.append(" -> ").append(FetchText.escaped(u)));
        r.redirect().ifPresent(l -> sb.append("  redirect to ").append(FetchText.escaped(l)));
        r.file().ifPresent(f -> sb.append("  saved ").append(FetchText.escaped(f.toString())));
        return sb.toString();
    }

    static String json(FetchResult r) {
        return String.format(Locale.ROOT, "{\"url\": %s, \"final_url\": %s, \"status\": %d, \"ms\": %d, \"bytes\": %d,"
                + " \"file\": %s, \"redirect_not_followed\": %s, \"error\": %s}", FetchText.json(r.url()),
                orNull(r.finalUrl()), r.status(), r.millis(), r.bytes(), orNull(r.file().map(Path::toString)),
                orNull(r.redirect()), orNull(r.error()));
    }

    private static String orNull(Optional<String> s) {
        return s.map(FetchText::json).orElse("null");
    }
}
