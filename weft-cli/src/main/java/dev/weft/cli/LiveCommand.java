package dev.weft.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What {@code weft ps} and {@code weft pstree} share: attach to a local JVM by PID with the JDK's
 * attach API, start its local management agent (the JDK's own, reachable from this machine only),
 * and ask Weft's MBean {@code dev.weft:type=Loops} for a view of its loops. The target renders the
 * view (table, tree or JSON) itself, from a snapshot read without its loops' turn, so a stalled or
 * deadlocked program answers too.
 */
abstract class LiveCommand implements Callable<Integer> {
    private static final String MBEAN = "dev.weft:type=Loops";

    @SuppressWarnings("NullAway.Init") // picocli injects the spec before call()
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "The process id of a running JVM that uses Weft"
            + " (same user, this machine).")
    long pid;

    @Option(names = "--json", description = "Print the loops, tasks and warnings as JSON.")
    boolean json;

    @Option(names = "--interval", paramLabel = "MS", description = "Measure each loop's busy share over the next MS"
            + " milliseconds (default: since the loop started).")
    long intervalMillis;

    /** The view the target renders without {@code --json}: "table" or "tree". */
    abstract String textView();

    @Override
    public Integer call() {
        if (pid <= 0) {
            throw new ParameterException(spec.commandLine(), "PID must be a positive process id, not " + pid);
        }
        if (intervalMillis < 0) {
            throw new ParameterException(spec.commandLine(), "--interval must be 0 or more milliseconds, not "
                    + intervalMillis);
        }
        PrintWriter err = spec.commandLine().getErr();
        if (ProcessHandle.of(pid).isEmpty()) {
            err.println("weft " + spec.name() + ": no process with PID " + pid + " (see jps or ps for running JVMs)");
            err.flush();
            return 1;
        }
        try {
            PrintWriter out = spec.commandLine().getOut();
            out.print(view(json ? "json" : textView()));
            out.flush();
            return 0;
        } catch (Failure e) {
            err.println("weft " + spec.name() + ": " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /**
     * Asks process {@link #pid}'s Weft MBean for {@code format}. The answer comes through RMI, which
     * deserializes: from a JVM of the same user on this machine, that the user named.
     */
    @SuppressWarnings("BanJNDI") // a local JMX connector to a process of the same user, not a lookup of user input
    private String view(String format) throws Failure {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new Failure("cannot attach to process " + pid + ": " + e.getMessage() + ". It must be a JVM"
                    + " (JDK 9 or newer) run by the same user on this machine, without -XX:+DisableAttachMechanism");
        }
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName(MBEAN);
                if (!server.isRegistered(name)) {
                    throw new Failure("process " + pid + " has no " + MBEAN + " MBean: it does not use Weft, or has"
                            + " not run a loop yet (the MBean comes a moment after the first loop starts)");
                }
                return (String) server.invoke(name, "view", new Object[] {format, intervalMillis},
                        new String[] {"java.lang.String", "long"});
            }
        } catch (IOException | JMException e) {
            throw new Failure("could not read the loops of process " + pid + ": " + e);
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // the view was read (or the failure is reported); the target drops the connection itself
            }
        }
    }

    /** A failure to reach or read the target, reported as one line, exit status 1. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }
}
