package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weft as a JPMS module, as the README promises: an application module that {@code requires dev.weft}
 * is compiled and run on the module path (the rest of the suite runs on the class path), and uses a
 * loop, a process pool (whose workers then start on the module path too) and an HTTP request.
 */
class ModulePathTest {
    private static final String MODULE_INFO = """
            module smoke {
                requires dev.weft;
                requires jdk.httpserver;
            }
            """;

    private static final String MAIN = """
            package smoke;

            import com.sun.net.httpserver.HttpServer;
            import dev.weft.HttpClient;
            import dev.weft.HttpRequest;
            import dev.weft.Task;
            import dev.weft.Weft;
            import dev.weft.pool.Pool;
            import java.net.InetAddress;
            import java.net.InetSocketAddress;
            import java.nio.charset.StandardCharsets;
            import java.util.List;
            
            public final class Main {
                public static void main(String[] args) throws Exception {
                    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                    server.createContext("/", exchange -> {
                        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                        exchange.close();
                    });
                    server.start();
                    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
                    try {
                        String out = Weft.run(() -> {
                            Task<Integer> task = Weft.spawn(() -> 6 * 7);
                            try (Pool pool = Pool.processes().workers(1).build()) {
                                List<Integer> squares = pool.map(Main::square, List.of(1, 2, 3));
                                try (HttpClient http = HttpClient.builder().build()) {
                                    String body = http.send(HttpRequest.get(url)).text();
                                    return Weft.await(task) + " " + squares + " " + body + " "
                                            + Weft.class.getModule().isNamed() + " " + Weft.loop().carrier();
                                }
                            }
                        });
                        System.out.println(out);
                    } finally {
                        server.stop(0);
                    }
                }

                static int square(int x) {
                    return x * x;
                }
            }
            """;

    @Test
    void anApplicationModuleRunsALoopAProcessPoolAndAnHttpRequest(@TempDir Path dir)
            throws IOException, InterruptedException, URISyntaxException {
        Path weft = Path.of(Weft.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path src = dir.resolve("src/smoke");
        Files.createDirectories(src);
        Files.writeString(dir.resolve("src/module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("Main.java"), MAIN);
        Path out = dir.resolve("out");
        String compiled = run(jdkTool("javac"), "-d", out.toString(), "--module-path", weft.toString(),
                dir.resolve("src/module-info.java").toString(), src.resolve("Main.java").toString());
        assertThat(compiled).as("the application module compiles against dev.weft").isEmpty();

        // java.lang opened to the module dev.weft, as the README says: the loop gets a carrier of its own
        String printed = run(jdkTool("java"), "--add-opens", "java.base/java.lang=dev.weft", "--module-path",
                weft + File.pathSeparator + out, "-m", "smoke/smoke.Main");
        assertThat(printed.strip().lines().toList()).as(printed).last().isEqualTo("42 [1, 4, 9] hello true OWN");
    }

    private static String jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /** Runs a command to its end (a minute at most) and returns what it printed; fails if it failed. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed;
        try (var in = p.getInputStream()) {
            printed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s ended", command[0]).isTrue();
        assertThat(p.exitValue()).as("%s failed: %s", command[0], printed).isZero();
        return printed;
    }
}
