package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabCommandTest extends CliHarness {
    

    /** The one line of stdout that starts with {@code prefix}. */
    private String line(String prefix) {
        List<String> lines = out.toString().lines().filter(l -> l.startsWith(prefix)).toList();
        assertThat(lines).as("lines starting with '%s'", prefix).hasSize(1);
        return lines.getFirst();
    }

    @Test
    void quickLabRunsEveryCaseUnderEachModelAndAnswersTheLessonsQuestion(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("lab.json");
        int code = run("lab", "--quick", "--calls", "4", "--latency-ms", "20", "--repeats", "2", "--primes-below",
                "20000", "--trace", trace.toString());
        assertThat(code).as(err.toString()).isZero();
        String o = out.toString();
        assertThat(o).contains("I/O-bound: 4 API calls to the embedded mock API, each answering after 20 ms",
                "CPU-bound: counting the primes below 20,000", "Mixed: 4 tasks each fetch a response (20 ms)");
        assertThat(o).contains("map(x -> x * x, range(10))", "= [0, 1, 4, 9, 16, 25, 36, 49, 64, 81] (sum 285)");
        assertThat(line("4 calls one after another ")).contains("sequential");
        assertThat(line("8 chunks one after another ")).contains("sequential");
        assertThat(line("4 tasks on one loop ")).contains("concurrency + asynchrony");
        assertThat(line("4 tasks, a blocking client ")).contains("concurrency, no asynchrony");
        assertThat(line("4 tasks, blocking client in toThread ")).contains("concurrency + threads").contains(" +-");
        assertThat(line("8 tasks on one loop ")).contains("concurrency (no parallelism)").contains("(once)");
        assertThat(line("Pool.threads, ")).contains("parallelism (threads)")
                .as("cores used, then loop busy (a share, or - until the advisor reports loops)")
                .matches(".* \\d+\\.\\dx +\\d+\\.\\d +(-|\\d+%)");
        assertThat(line("Pool.processes, ")).contains("parallelism (processes)");
        assertThat(line("4 tasks, processing on Pool.processes ")).contains("asynchrony + parallelism (processes)");
        assertThat(line("every row: 4 ")).isEqualTo("every row: 4 calls answered 2xx");
        assertThat(o.lines().filter(l -> l.equals("every row: 2,262 primes below 20,000")))
                .as("the CPU and the mixed case count the same primes in every row").hasSize(2);
        assertThat(o.lines().filter(l -> l.startsWith("advisor: "))).as("a verdict per case").hasSize(3);
        assertThat(o.lines().filter(l -> l.startsWith("timeline of '"))).as("two timelines per case").hasSize(6);
        assertThat(o).contains("The lesson's question: \"You need to fetch data from 4 external APIs simultaneously:");
        assertThat(line("Answer: ")).startsWith("Answer: concurrency on one loop (asynchrony). 4 calls took ")
                .contains(" one after another (").contains("a Pool is for the CPU-bound case (");

        assertThat(line("trace: ")).isEqualTo("trace: " + trace);
        Path timeline = Path.of(line("timeline: ").substring("timeline: ".length()));
        assertThat(timeline).isEqualTo(dir.resolve("lab.html"));
        assertThat(Files.size(timeline)).isPositive();
        assertThat(new ObjectMapper().readTree(trace.toFile()).path("traceEvents").isArray()).isTrue();
        assertThat(err.toString()).as("progress, not a terminal: plain lines").contains(
                "weft lab: [1/3] I/O-bound: 4 calls one after another...", "weft lab: [2/3] CPU-bound: Pool.threads, ");
    }

    @Test
    void aSequentialRowOverAMinuteIsSkippedWithANoteUnlessYes(@TempDir Path dir) {
        int code = run("lab", "--case", "io", "--calls", "61", "--latency-ms", "1000", "--repeats", "1", "--trace",
                dir.resolve("t.json").toString());
        // 61 calls of 1 s one after another would take 61 s: skipped; the concurrent rows run
        assertThat(code).as(err.toString()).isZero();
        assertThat(line("61 calls one after another ")).contains("~61.000 s (skipped)");
        assertThat(line("61 tasks, a blocking client ")).contains("~61.000 s (skipped)");
        assertThat(out.toString()).contains("Skipped: the rows that wait one call after another would take about"
                + " 61 s (61 calls x 1000 ms); --yes runs them.");
        assertThat(line("Answer: ")).contains("vs about 61.000 s one after another");
    }

    @Test
    void badOptionsAreUsageErrorsOnStderrWithExitCode2(@TempDir Path dir) throws Exception {
        String[][] cases = {
            {"--calls", "0"}, {"--calls", "10001"}, {"--latency-ms", "-1"}, {"--latency-ms", "10001"},
            {"--repeats", "0"}, {"--repeats", "21"}, {"--primes-below", "999"}, {"--case", "gpu"},
            {"--calls", "many"}, {"--trace", dir.toString()}, {"--trace", dir.resolve("no/such/t.json").toString()}};
        String[] messages = {
            "--calls must be from 1 to 10000, got 0", "--calls must be from 1 to 10000, got 10001",
            "--latency-ms must be from 0 to 10000, got -1", "--latency-ms must be from 0 to 10000, got 10001",
            "--repeats must be from 1 to 20, got 0", "--repeats must be from 1 to 20, got 21",
            "--primes-below must be from 1000 to 20000000, got 999", "--case must be io, cpu, mixed or all, got 'gpu'",
            "'many' is not an int", "is a directory: name a file", "no such directory"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = new String[cases[i].length + 1];
            args[0] = "lab";
            System.arraycopy(cases[i], 0, args, 1, cases[i].length);
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err.toString()).as(String.join(" ", args)).contains(messages[i]);
        }
        assertThat(out.toString()).as("nothing measured").isEmpty();
    }
}
