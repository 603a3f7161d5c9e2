package dev.weft;

import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event of a run diagnosed as deadlocked; off unless a recording enables it. */
@Name("dev.weft.Deadlock")
@Label("Deadlock")
@Category("Weft")
@Description("Every task of a Weft loop waits and nothing can wake any of them: the run fails with a DeadlockException")
@Enabled(false)
@StackTrace(false)
final class DeadlockEvent extends jdk.jfr.Event {
    @Label("Tasks")
    @Description("The tasks that wait, one per line: name #id")
    String tasks = "";

    @Label("Message")
    String message = "";

    /** Commits the event of a deadlock of {@code tasks}, told by {@code message}, if it is on. */
    static void commit(List<? extends Task<?>> tasks, String message) {
        DeadlockEvent e = new DeadlockEvent();
        if (e.shouldCommit()) {
            e.tasks = tasks.stream().map(t -> t.name() + " #" + t.id()).collect(Collectors.joining("\n"));
            e.message = message;
            e.commit();
        }
    }
}
