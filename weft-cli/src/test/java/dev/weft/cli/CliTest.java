package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void labRunsTheIoCaseOneAfterAnotherAndConcurrently() {
        int code = run("lab", "--tasks", "5", "--latency-ms", "20");
        assertThat(code).isZero();
        String table = out.toString();
        assertThat(table).contains("5 API calls, each waiting 20 ms").contains("sequential (one after another)")
                .contains("concurrent (one loop, 5 tasks)").contains("speed-up").contains("loop busy")
                .contains("concurrent, but each call blocks the loop").contains("blocking calls moved to Weft.toThread");
        String concurrent = table.lines().filter(l -> l.startsWith("concurrent")).findFirst().orElseThrow();
        double speedup = Double.parseDouble(concurrent.replaceAll(".*\\s([0-9.]+)x\\s.*", "$1"));
        assertThat(speedup).as("5 waits of 20 ms overlap on one loop").isGreaterThan(2.0);
    }

    @Test
    void badOptionsAreUsageErrorsOnStderrWithExitCode2() {
        assertThat(run("lab", "--tasks", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--tasks must be between 1 and 1000000");
        assertThat(run("lab", "--tasks", "many")).isEqualTo(2);
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
}
