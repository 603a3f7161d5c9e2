package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** weft fetch given URLs it cannot fetch: each is one failed URL of the summary, never a crash. */
class FetchBadUrlTest {
    @Test
    void aUrlWithAPortOutOfRangeIsOneFailedUrlNotACrash() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("fetch", "http://127.0.0.1:99999/x", "--timeout-ms", "2000");
        assertThat(out.toString()).as("stdout; stderr was: %s", err).contains("1 URLs: 0 ok, 1 failed");
        assertThat(code).isEqualTo(1);
    }
}
