package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java example of the README compiles as it is shown, pasted into a file that also imports
 * {@code java.util.*} and {@code java.util.concurrent.*} (decision 0016): its own imports first,
 * its statements as the body of a method. The names an example leaves to the reader — {@code
 * fetch(url)}, {@code handler} — are declared by {@link #CONTEXT}, the reader's own code.
 */
class ReadmeExamplesTest {
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    /** What the examples assume the reader has: their own functions, values and types. */
    private static final String CONTEXT = """
            abstract class ReadmeContext {
                record Order(int id) {}
                interface Button { void onClick(Runnable r); }
                abstract String fetch(String url) throws java.io.IOException;
                abstract void serve(dev.weft.TcpConnection c) throws java.io.IOException;
                abstract String a();
                abstract String b();
                abstract String c();
                abstract void handle(Order o);
                abstract void finish();
                abstract void abort(Throwable cause);
                abstract void runClientsAgainst(int port) throws java.io.IOException;
                abstract int heavy();
                dev.weft.Task<String> fetch;
                String url;
                Button stopButton;
                dev.weft.TcpConnection connection;
                java.nio.file.Path path;
                dev.weft.TcpServer.Handler handler;
                java.util.List<int[]> chunks;
                static final class Primes {
                    static long count(int[] chunk) { return chunk.length; }
                }
            }
            """;

    @Test
    void everyExampleCompilesBesideTheJdksWildcardImports(@TempDir Path out) throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "README.md"));
        List<JavaFileObject> units = new ArrayList<>();
        units.add(source("ReadmeContext", CONTEXT));
        Matcher m = BLOCK.matcher(readme);
        int n = 0;
        while (m.find()) {
            n++;
            units.add(source("Example" + n, unit("Example" + n, m.group(1))));
        }
        assertThat(n).as("examples found in the README").isGreaterThanOrEqualTo(5);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> problems = new DiagnosticCollector<>();
        boolean ok = javac.getTask(null, null, problems,
                List.of("-d", out.toString(), "-proc:none", "-cp", System.getProperty("java.class.path")),
                null, units).call();
        List<String> errors = problems.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                .toList();
        assertThat(errors).as("the README's examples, as compiled").isEmpty();
        assertThat(ok).isTrue();
    }

    /** An example as a compilation unit: the JDK's wildcards, its own imports, its code in a method. */
    private static String unit(String name, String example) {
        StringBuilder imports = new StringBuilder("import java.util.*;\nimport java.util.concurrent.*;\n");
        StringBuilder body = new StringBuilder();
        for (String line : example.split("\n", -1)) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        return imports + "abstract class " + name + " extends ReadmeContext {\n"
                + "    void example() throws Exception {\n" + body + "    }\n}\n";
    }

    private static JavaFileObject source(String name, String code) {
        return new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }
}
