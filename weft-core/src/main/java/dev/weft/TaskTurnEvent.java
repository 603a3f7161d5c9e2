package dev.weft;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * The JFR event of one turn of a task: from when it got its loop's turn to when it gave it up. Off
 * unless a recording enables it; while off, a turn costs one check of a flag.
 */
@Name("dev.weft.TaskTurn")
@Label("Task Turn")
@Category("Weft")
@Description("A Weft task held its loop's turn: it ran, from getting the turn to its next suspension point or its end")
@Enabled(false)
@StackTrace(false)
final class TaskTurnEvent extends jdk.jfr.Event {
    /** Asked whether the event is on: cheap, and no JFR machinery is started for it. */
    private static final TaskTurnEvent PROBE = new TaskTurnEvent();

    @Label("Task")
    String task = "";

    @Label("Task Id")
    long id;

    @Label("Loop")
    @Description("The thread that called the run of the task's loop")
    String loop = "";

    /** The begun event of {@code f}'s turn on the loop run by the thread named {@code loop}; null while the event is off. */
    static @Nullable TaskTurnEvent begin(Fiber<?> f, String loop) {
        if (!PROBE.isEnabled()) {
            return null;
        }
        TaskTurnEvent e = new TaskTurnEvent();
        e.task = f.name();
        e.id = f.id();
        e.loop = loop;
        e.begin();
        return e;
    }
}
