package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliTest extends CliHarness {
    

    @Test
    void badOptionsAreUsageErrorsOnStderrWithExitCode2() {
        assertThat(run("bench", "nosuch")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown benchmark 'nosuch'");
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void benchListsItsBenchmarks() {
        assertThat(run("bench", "--list")).isZero();
        assertThat(out.toString()).contains("switch").contains("spawn").contains("sleepers").contains("handoff");
    }

    @Test
    void mockApiServesUntilItsThreadIsInterruptedAsByCtrlC() throws Exception {
        java.util.concurrent.CompletableFuture<String> url = new java.util.concurrent.CompletableFuture<>();
        StringWriter printed = new StringWriter() {
            @Override
            public void flush() { // the command flushes each line it prints
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("listening at (http://\\S+)").matcher(toString());
                if (m.find()) {
                    url.complete(m.group(1));
                }
            }
        };
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(printed));
        cli.setErr(new PrintWriter(err));
        java.util.concurrent.atomic.AtomicInteger code = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread t = Thread.ofPlatform().start(() -> code.set(cli.execute("mock-api", "--port", "0", "--size", "5")));
        var client = java.net.http.HttpClient.newHttpClient();
        var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                url.get(30, java.util.concurrent.TimeUnit.SECONDS) + "/x")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(5);
        t.interrupt();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(code.get()).isZero();
        assertThat(printed.toString()).contains("mock API stopped");
    }

    @Test
    void mockApiRejectsBadOptionsAsUsageErrorsNamingTheOption() {
        assertThat(run("mock-api", "--mode", "sideways")).isEqualTo(2);
        assertThat(err.toString()).contains("--mode must be normal, hang, close, malformed, trickle or endless,"
                + " got 'sideways'");
        assertThat(run("mock-api", "--distribution", "zipf")).isEqualTo(2);
        assertThat(err.toString()).contains("--distribution must be uniform, normal or exponential, got 'zipf'");
        assertThat(run("mock-api", "--status", "42")).isEqualTo(2);
        assertThat(err.toString()).contains("--status must be an HTTP status from 100 to 599, got 42");
        assertThat(run("mock-api", "--error-rate", "2")).isEqualTo(2);
        assertThat(err.toString()).contains("--error-rate must be a number from 0 to 1, got 2.0");
        assertThat(run("mock-api", "--latency-ms", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--latency-ms must be a whole number of milliseconds from 0 to 3600000, got -1");
        assertThat(run("mock-api", "--jitter-ms", "3600001")).isEqualTo(2);
        assertThat(err.toString()).contains("--jitter-ms must be a whole number of milliseconds");
        assertThat(run("mock-api", "--size", "16777217")).isEqualTo(2);
        assertThat(err.toString()).contains("--size must be a whole number of bytes from 0 to 16777216, got 16777217");
        assertThat(run("mock-api", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be from 0 to 65535, got 70000");
        assertThat(err.toString()).as("the Java names of the options").doesNotContain("errorRate", "latency must");
    }

    @Test
    void mockApiHelpNamesEveryQueryParameterWithoutBreakingAnExample() {
        assertThat(run("mock-api", "--help")).isZero();
        String help = out.toString();
        for (dev.weft.testing.MockApi.Parameter p : dev.weft.testing.MockApi.Parameter.values()) {
            assertThat(help).contains(p.queryName());
        }
        assertThat(help.lines()).contains("  /users/1?latency_ms=100&jitter_ms=20&dist=exponential&size=1024",
                "  /users/1?status=503&retry_after=2", "  /users/1?error_rate=0.1&mode=hang&redirects=3");
        assertThat(help.lines()).allMatch(l -> l.length() <= 80, "fits 80 columns");
    }

    /** Runs a mock API in a loop of its own on another thread until {@code body} is done. */
    private static void withMockApi(java.util.function.Consumer<String> body) throws Exception {
        try (dev.weft.testing.MockApi.Background api = dev.weft.testing.MockApi.builder().buildInBackground()) {
            body.accept(api.baseUrl());
        }
    }

    @Test
    void fetchReportsEachUrlAndASummaryAndFailsIfOneFailed() throws Exception {
        withMockApi(base -> {
            int code = run("fetch", base + "/a?size=10", base + "/b?status=500", "not-a-url", "--timeout-ms", "5000");
            assertThat(code).isEqualTo(1);
            String o = out.toString();
            assertThat(o).contains("200").contains(base + "/a?size=10").contains("10 B");
            assertThat(o).contains("500").contains(base + "/b?status=500");
            assertThat(o).contains("ERR").contains("not-a-url").contains("BAD_URL");
            assertThat(o).contains("3 URLs: 1 ok, 2 failed");
        });
    }

    @Test
    void fetchWritesJsonLinesSavesBodiesAndSucceedsWhenAllDo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        withMockApi(base -> {
            java.nio.file.Path list = dir.resolve("urls.txt");
            try {
                java.nio.file.Files.writeString(list, "# three APIs\n" + base + "/one\n\n" + base + "/two?size=5\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            int code = run("fetch", "--input", list.toString(), "--json", "--output-dir", dir.resolve("bodies").toString());
            assertThat(code).isZero();
            List<String> lines = out.toString().lines().toList();
            assertThat(lines).hasSize(2).allMatch(l -> l.startsWith("{\"url\": ") && l.contains("\"status\": 200")
                    && l.endsWith("\"error\": null}"));
            assertThat(err.toString()).contains("2 URLs: 2 ok, 0 failed");
            assertThat(dir.resolve("bodies").toFile().list()).hasSize(2);
        });
    }

    @Test
    void fetchRejectsBadUsage() {
        assertThat(run("fetch")).isEqualTo(2);
        assertThat(err.toString()).contains("no URLs");
        assertThat(run("fetch", "--concurrency", "0", "http://127.0.0.1:1/")).isEqualTo(2);
        assertThat(run("fetch", "--input", "/no/such/file")).isEqualTo(2);
        assertThat(err.toString()).contains("no such file");
        assertThat(run("fetch", "--input", System.getProperty("java.io.tmpdir"))).isEqualTo(2);
        assertThat(err.toString()).contains("is a directory");
    }

    @Test
    void fetchRejectsAnInputFileThatIsNotText(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path binary = java.nio.file.Files.write(dir.resolve("urls.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertThat(run("fetch", "--input", binary.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is not UTF-8 text");
    }
}
