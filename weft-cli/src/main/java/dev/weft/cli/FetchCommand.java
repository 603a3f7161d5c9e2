package dev.weft.cli;

import dev.weft.Loop;
import dev.weft.Task;
import dev.weft.Weft;
import dev.weft.HttpClient;
import dev.weft.HttpException;
import dev.weft.HttpRequest;
import dev.weft.HttpResponse;
import dev.weft.Permit;
import dev.weft.Semaphore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code weft fetch}: fetches many URLs concurrently on one loop and reports each one and the total. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Fetches URLs concurrently on one loop: one line per URL (status, time, size), then a summary.",
            "Exit code 0 only when every URL answered 2xx."})
final class FetchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "URL", description = "URLs to fetch; '-' reads them from stdin.")
    List<String> urls = new ArrayList<>();

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "A file of URLs, one per line ('#' comments).")
    Path input;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "50", description = "Requests at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout-ms", defaultValue = "30000", description = "Timeout of each attempt (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--retries", defaultValue = "0",
            description = "Retries of each URL on connection errors, timeouts, 429 and 503 (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", description = "Save each body in DIR.")
    Path outputDir;

    @Option(names = "--json", description = "Write one JSON object per URL instead of the table.")
    boolean json;

    /** What happened to one URL. */
    record Result(int index, String url, int status, long millis, long bytes, String error) {
        boolean ok() {
            return error == null && status >= 200 && status < 300;
        }
    }

    @Override
    public Integer call() throws IOException {
        List<String> all = readUrls();
        if (all.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no URLs: give them as arguments, with --input FILE, or on stdin with '-'");
        }
        if (concurrency < 1 || concurrency > 100_000) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be between 1 and 100000, got " + concurrency);
        }
        if (timeoutMs < 1 || retries < 0 || retries > 100) {
            throw new ParameterException(spec.commandLine(), "--timeout-ms must be >= 1 and --retries between 0 and 100");
        }
        if (outputDir != null) {
            Files.createDirectories(outputDir);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, all.size(), System.console() != null);
        long t0 = System.nanoTime();
        List<Result> results = new ArrayList<>();
        try (Loop loop = Loop.builder().build()) {
            loop.run(() -> {
                Semaphore slots = new Semaphore(concurrency);
                try (HttpClient http = HttpClient.builder().requestTimeout(Duration.ofMillis(timeoutMs)).retries(retries)
                        .build()) {
                    List<Task<Void>> tasks = new ArrayList<>();
                    for (int i = 0; i < all.size(); i++) {
                        int index = i;
                        tasks.add(Weft.spawn(() -> {
                            Result r;
                            try (Permit _ = slots.hold()) {
                                r = fetch(http, index, all.get(index));
                            }
                            results.add(r);
                            report(out, r);
                            progress.done(r.ok());
                        }));
                    }
                    for (Task<Void> t : tasks) {
                        Weft.await(t);
                    }
                }
            });
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        progress.finish();
        long ok = results.stream().filter(Result::ok).count();
        PrintWriter summary = json ? err : out;
        summary.printf(Locale.ROOT, "%d URLs: %d ok, %d failed in %.3f s (%.1f requests/s)%n", all.size(), ok,
                all.size() - ok, seconds, all.size() / seconds);
        summary.flush();
        out.flush();
        return ok == all.size() ? 0 : 1;
    }

    private Result fetch(HttpClient http, int index, String url) {
        long t0 = System.nanoTime();
        try {
            HttpResponse r = http.send(HttpRequest.get(url));
            if (outputDir != null) {
                Files.write(outputDir.resolve(fileName(index, url)), r.body());
            }
            return new Result(index, url, r.status(), (System.nanoTime() - t0) / 1_000_000, r.body().length, null);
        } catch (HttpException e) {
            return new Result(index, url, 0, (System.nanoTime() - t0) / 1_000_000, 0,
                    e.kind() + ": " + e.getMessage());
        } catch (IOException e) {
            return new Result(index, url, 0, (System.nanoTime() - t0) / 1_000_000, 0, "SAVE: " + e.getMessage());
        }
    }

    private void report(PrintWriter out, Result r) {
        if (json) {
            out.printf(Locale.ROOT, "{\"url\": %s, \"status\": %d, \"ms\": %d, \"bytes\": %d, \"error\": %s}%n",
                    quote(r.url()), r.status(), r.millis(), r.bytes(), r.error() == null ? "null" : quote(r.error()));
        } else if (r.error() == null) {
            out.printf(Locale.ROOT, "%3d %7d ms %10d B  %s%n", r.status(), r.millis(), r.bytes(), r.url());
        } else {
            out.printf(Locale.ROOT, "ERR %7d ms %10s    %s  (%s)%n", r.millis(), "-", r.url(), r.error());
        }
        out.flush();
    }

    private List<String> readUrls() throws IOException {
        List<String> all = new ArrayList<>();
        boolean stdin = false;
        for (String u : urls) {
            if (u.equals("-")) {
                stdin = true;
            } else {
                all.add(u);
            }
        }
        if (input != null) {
            if (Files.isDirectory(input)) {
                throw new ParameterException(spec.commandLine(), "--input: " + input + " is a directory; give a file"
                        + " of URLs, one per line");
            }
            try {
                all.addAll(clean(Files.readAllLines(input, StandardCharsets.UTF_8)));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new ParameterException(spec.commandLine(), "--input: no such file: " + input);
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new ParameterException(spec.commandLine(), "--input: " + input + " is not UTF-8 text");
            } catch (java.io.IOException e) {
                throw new ParameterException(spec.commandLine(), "--input: cannot read " + input + ": " + e.getMessage());
            }
        }
        if (stdin) {
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            all.addAll(clean(r.lines().toList()));
        }
        return all;
    }

    private static List<String> clean(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static String fileName(int index, String url) {
        String safe = url.replaceAll("^[a-zA-Z]+://", "").replaceAll("[^A-Za-z0-9._-]+", "_");
        return String.format(Locale.ROOT, "%05d-%s", index, safe.length() > 100 ? safe.substring(0, 100) : safe);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A progress bar on a terminal; a plain line every tenth of the way otherwise. */
    static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final boolean terminal;
        private int done;
        private int failed;
        private int lastTenth;

        Progress(PrintWriter err, int total, boolean terminal) {
            this.err = err;
            this.total = total;
            this.terminal = terminal;
        }

        void done(boolean ok) {
            done++;
            failed += ok ? 0 : 1;
            if (terminal) {
                int width = 30;
                int filled = done * width / total;
                err.printf("\r[%s%s] %d/%d (%d failed)", "#".repeat(filled), ".".repeat(width - filled), done, total, failed);
                err.flush();
            } else if (done * 10 / total > lastTenth) {
                lastTenth = done * 10 / total;
                err.printf("progress: %d/%d done, %d failed%n", done, total, failed);
                err.flush();
            }
        }

        void finish() {
            if (terminal) {
                err.println();
                err.flush();
            }
        }
    }
}
