package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weft fetch} against a server that answers badly on purpose. */
class FetchHostileTest {
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();
    private final HostileServer server;

    @TempDir
    @SuppressWarnings("NullAway.Init") // injected by JUnit
    Path dir;

    FetchHostileTest() throws IOException {
        server = new HostileServer();
    }

    @BeforeEach
    void fresh() {
        out = new StringWriter();
        err = new StringWriter();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private int fetch(String... args) {
        return fetch(new PrintWriter(out), args);
    }

    private int fetch(PrintWriter stdout, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(stdout);
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("fetch", "--timeout-ms", "10000"));
        all.addAll(List.of(args));
        return cli.execute(all.toArray(String[]::new));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void anEndlessBodyStopsAtMaxSizeAndIsNotKept() throws IOException {
        int code = fetch("--max-size", "1000000", "-o", dir.toString(), server.url("/endless"), server.url("/ok"));
        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("BODY_TOO_LARGE: the body passed --max-size 1000000 bytes")
                .contains("2 URLs: 1 ok, 1 failed");
        assertThat(files()).hasSize(1);
        assertThat(Files.readString(files().getFirst())).isEqualTo("hello");
    }

    @Test
    void filesAreCreatedNewNeverThroughALinkAndNeverOverwritten() throws IOException {
        Path victim = Files.writeString(Files.createTempFile("victim", ".txt"), "precious");
        String name = FetchFiles.name(0, server.url("/ok"));
        Files.createSymbolicLink(dir.resolve(name), victim);
        assertThat(fetch("--json", "-o", dir.toString(), server.url("/ok"))).isZero();
        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertThat(out.toString()).contains("\"file\": \"" + dir.resolve(name + ".1") + "\"");
        assertThat(fetch("-o", dir.toString(), server.url("/ok"))).as("a second run").isZero();
        assertThat(out.toString()).contains("saved " + dir.resolve(name + ".2"));
        assertThat(Files.readString(dir.resolve(name + ".1"))).isEqualTo("hello");
        assertThat(Files.readString(dir.resolve(name + ".2"))).isEqualTo("hello");
        Files.delete(victim);
    }

    @Test
    void userInformationNeverAppearsInOutputOrFileNames() throws IOException {
        String url = server.url("/ok").replace("://", "://alice:pa55word@");
        assertThat(fetch("-o", dir.toString(), url, url.replace("/ok", "/negative"))).isEqualTo(1);
        assertThat(fetch("--json", "-o", dir.toString(), url)).isZero();
        assertThat(out.toString() + err).doesNotContain("pa55word").doesNotContain("alice")
                .contains("http://127.0.0.1:" + server.port() + "/ok");
        assertThat(files()).isNotEmpty().allSatisfy(f -> assertThat(f.toString()).doesNotContain("pa55word"));
    }

    @Test
    void controlCharactersFromTheServerAreEscapedInTheTable() {
        fetch(server.url("/escapes"), server.url("/huge-headers"));
        assertThat(out.toString()).doesNotContain("\u001b").doesNotContain("\u0007").contains("\\u001b");
    }

    @Test
    void redirectsShowTheFinalUrlAndTheOnesNotFollowed() {
        fetch(server.url("/to-localhost"), server.url("/ftp"));
        assertThat(out.toString()).contains(server.url("/to-localhost") + " -> http://localhost:" + server.port() + "/ok")
                .contains("redirect to ftp://files.example/x (not followed: not http(s))");
        for (String noFollow : List.of("--no-follow", "--max-redirects=0")) { // the same to the user
            fetch(noFollow, "--json", server.url("/to-localhost"));
            assertThat(out.toString()).as(noFollow).contains("\"status\": 302").contains("\"redirect_not_followed\": "
                    + "\"http://localhost:" + server.port() + "/ok (not followed: --no-follow or --max-redirects 0)\"");
        }
        fetch("--max-redirects", "2", server.url("/loop"));
        assertThat(out.toString()).contains("TOO_MANY_REDIRECTS: more than 2 redirects");
    }

    @Test
    void aNegativeContentLengthIsAMalformedResponseNotRetried() {
        assertThat(fetch("--retries", "3", server.url("/negative"))).isEqualTo(1);
        assertThat(out.toString()).contains("MALFORMED_RESPONSE");
        assertThat(server.requests.get()).isEqualTo(1);
    }

    @Test
    void anUnusableOutputDirectoryIsOneLineOnStderrAndExitCode2() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        for (Path bad : List.of(file, file.resolve("below-a-file"))) {
            err = new StringWriter();
            assertThat(fetch("-o", bad.toString(), server.url("/ok"))).isEqualTo(2);
            assertThat(err.toString().strip()).startsWith("weft fetch: -o " + bad).doesNotContain("\n").doesNotContain("\tat ");
        }
        assertThat(server.requests.get()).isZero();
    }

    @Test
    void aUrlThatIsNoUrlSaysWhatIsWrongOnce() {
        fetch("not a url");
        assertThat(out.toString()).contains("BAD_URL: not a URL").doesNotContain("about:");
        String line = out.toString().lines().filter(l -> l.startsWith("ERR")).findFirst().orElseThrow();
        assertThat(line.split("not a url", -1)).as("the URL once, in its column").hasSize(2);
    }

    @Test
    void aClosedStdoutStopsTheFetch() {
        OutputStream closedAfterOneLine = new OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > 200) {
                    throw new IOException("Broken pipe");
                }
            }
        };
        List<String> urls = new ArrayList<>(List.of("-c", "1"));
        for (int i = 0; i < 200; i++) {
            urls.add(server.url("/ok?n=" + i));
        }
        int code = fetch(new PrintWriter(new java.io.OutputStreamWriter(closedAfterOneLine, StandardCharsets.UTF_8)),
                urls.toArray(String[]::new));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("stdout is closed: stopped");
        assertThat(server.requests.get()).as("requests sent").isLessThan(20);
    }

    @Test
    void theProgressBarIsClearedBeforeAResultLine() {
        StringWriter bar = new StringWriter();
        FetchProgress p = new FetchProgress(new PrintWriter(bar), 2, true);
        p.done(true);
        p.clear();
        assertThat(bar.toString()).endsWith("\r\033[2K");
    }

    @Test
    void helpListsTest() {
        CommandLine cli = Main.commandLine();
        StringWriter help = new StringWriter();
        cli.setOut(new PrintWriter(help));
        assertThat(cli.execute("--help")).isZero();
        assertThat(help.toString()).containsPattern("(?m)^\\s+test\\s+Runs the whole test suite");
    }
}
