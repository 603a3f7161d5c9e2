package dev.weft.cli;

import dev.weft.HttpClient;
import dev.weft.Loop;
import dev.weft.Permit;
import dev.weft.Semaphore;
import dev.weft.Task;
import dev.weft.Tasks;
import dev.weft.WaitMode;
import dev.weft.Weft;
import java.io.BufferedReader;
import java.io.Console;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft fetch}: fetches many URLs concurrently on one loop and reports each one and the total.
 * Safe against hostile servers: bodies stream (to {@code -o DIR}, or nowhere) through one buffer per
 * URL in flight, so memory does not grow with bodies; files are created new, never through links;
 * what servers send is escaped before it reaches the terminal; a closed stdout stops the fetch.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Fetches URLs concurrently on one loop: one line per URL (status, time, size, final URL), then a"
            + " summary.", "Exit code 0 only when every URL answered 2xx; 2 for bad options or an unusable -o DIR."})
final class FetchCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "URL", description = "URLs to fetch; '-' reads them from stdin.")
    List<String> urls = new ArrayList<>();

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "A file of URLs, one per line ('#' comments).")
    Optional<Path> input = Optional.empty();

    @Option(names = {"-c", "--concurrency"}, defaultValue = "50", description = "Requests at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout-ms", defaultValue = "30000",
            description = "Timeout of each attempt to get an answer, and of reading its body (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--retries", defaultValue = "0",
            description = "Retries of each URL on connection errors, timeouts, 429 and 503 (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--max-size", paramLabel = "BYTES", defaultValue = "67108864",
            description = "The largest body accepted; a bigger one is an error, and not saved (default: ${DEFAULT-VALUE},"
                    + " 64 MiB).")
    long maxSize;

    @Option(names = "--no-follow", description = "Do not follow redirects: a redirect is reported with its Location.")
    boolean noFollow;

    @Option(names = "--max-redirects", paramLabel = "N", defaultValue = "5",
            description = "Redirects followed at most per URL (default: ${DEFAULT-VALUE}).")
    int maxRedirects;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR",
            description = "Save each body in a new file in DIR (an existing name gets a suffix .1, .2...).")
    Optional<Path> outputDir = Optional.empty();

    @Option(names = "--json", description = "Write one JSON object per URL instead of the table.")
    boolean json;

    /** Set (on the loop's turn) when a line could not be written: the reader went away. */
    private boolean stdoutClosed;

    @Override
    public Integer call() throws IOException {
        List<String> all = readUrls();
        check(!all.isEmpty(), "no URLs: give them as arguments, with --input FILE, or on stdin with '-'");
        check(concurrency >= 1 && concurrency <= 100_000, "--concurrency must be between 1 and 100000, got " + concurrency);
        check(timeoutMs >= 1 && retries >= 0 && retries <= 100, "--timeout-ms must be >= 1 and --retries between 0 and 100");
        check(maxSize >= 0 && maxRedirects >= 0, "--max-size and --max-redirects must be >= 0");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<FetchFiles> files = Optional.empty();
        if (outputDir.isPresent()) {
            try {
                files = Optional.of(FetchFiles.in(outputDir.get()));
            } catch (IOException e) {
                err.println("weft fetch: -o " + outputDir.get() + ": not a directory that can be written ("
                        + e.getMessage() + ")");
                err.flush();
                return 2;
            }
        }
        boolean terminal = Optional.ofNullable(System.console()).map(Console::isTerminal).orElse(false);
        FetchProgress progress = new FetchProgress(err, all.size(), terminal);
        FetchReport report = new FetchReport(out, json);
        long t0 = System.nanoTime();
        List<FetchResult> results = fetchAll(all, files, progress, report);
        double seconds = (System.nanoTime() - t0) / 1e9;
        progress.finish();
        if (stdoutClosed) {
            err.println("weft fetch: stdout is closed: stopped after " + results.size() + " of " + all.size() + " URLs");
            err.flush();
            return 1;
        }
        long ok = results.stream().filter(FetchResult::ok).count();
        PrintWriter summary = json ? err : out;
        summary.printf(Locale.ROOT, "%d URLs: %d ok, %d failed in %.3f s (%.1f requests/s)%n", all.size(), ok,
                all.size() - ok, seconds, all.size() / seconds);
        summary.flush();
        out.flush();
        return ok == all.size() ? 0 : 1;
    }

    /** Fetches every URL, at most {@code concurrency} at once; stops (cancels the rest) if stdout closes. */
    private List<FetchResult> fetchAll(List<String> all, Optional<FetchFiles> files, FetchProgress progress,
            FetchReport report) {
        List<FetchResult> results = new ArrayList<>();
        try (Loop loop = Loop.builder().build()) {
            loop.run(() -> {
                Semaphore slots = new Semaphore(concurrency);
                Duration timeout = Duration.ofMillis(timeoutMs);
                int redirects = noFollow ? 0 : maxRedirects;
                // --timeout-ms bounds connecting too: the message of a timeout names it
                try (HttpClient http = HttpClient.builder().connectTimeout(timeout).requestTimeout(timeout)
                        .retries(retries).maxRedirects(redirects).build()) {
                    Fetcher fetcher = new Fetcher(http, timeout, maxSize, redirects > 0, files);
                    List<Task<Void>> tasks = new ArrayList<>();
                    for (int i = 0; i < all.size(); i++) {
                        int index = i;
                        tasks.add(Weft.spawn(() -> {
                            FetchResult r;
                            try (Permit _ = slots.hold()) {
                                r = fetcher.fetch(index, all.get(index));
                            }
                            progress.clear();
                            if (report.print(r)) {
                                results.add(r);
                                progress.done(r.ok());
                            } else {
                                stdoutClosed = true;
                                tasks.forEach(Task::cancel);
                            }
                        }));
                    }
                    Tasks.wait(tasks, WaitMode.ALL_COMPLETED);
                }
            });
        }
        return results;
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(), message);
        }
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
        if (input.isPresent()) {
            Path file = input.get();
            if (Files.isDirectory(file)) {
                throw new ParameterException(spec.commandLine(), "--input: " + file + " is a directory; give a file"
                        + " of URLs, one per line");
            }
            try {
                all.addAll(clean(Files.readAllLines(file, StandardCharsets.UTF_8)));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new ParameterException(spec.commandLine(), "--input: no such file: " + file);
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new ParameterException(spec.commandLine(), "--input: " + file + " is not UTF-8 text");
            } catch (java.io.IOException e) {
                throw new ParameterException(spec.commandLine(), "--input: cannot read " + file + ": " + e.getMessage());
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
}
