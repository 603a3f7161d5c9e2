package dev.weft.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code weft test}: run by the launcher script (it needs Maven, not a JVM already started); here so
 * that {@code weft --help} lists it, and to say where to run it from.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Runs the whole test suite through the Maven Wrapper (./weft test, from the repository).")
final class TestCommand implements Callable<Integer> {
    @Spec
    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("weft test: run it with the launcher, ./weft test, from the repository"
                + " root: it runs the suite through the Maven Wrapper");
        spec.commandLine().getErr().flush();
        return 2;
    }
}
