package dev.weft;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The JFR event of a loop stall the watchdog reports, as it reports it; off unless a recording enables it. */
@Name("dev.weft.LoopStall")
@Label("Loop Stall")
@Category("Weft")
@Description("A Weft task has held its loop's turn too long without reaching a suspension point: no other task can run")
@Enabled(false)
@StackTrace(false) // the watchdog's own: the task's stack is a field
final class LoopStallEvent extends jdk.jfr.Event {
    @Label("Task")
    String task = "";

    @Label("Stalled For")
    @Description("How long the task had held the turn when the stall was reported (it may hold it longer)")
    @Timespan(Timespan.NANOSECONDS)
    long stalledFor;

    @Label("Stack")
    @Description("Where the task was when the stall was reported")
    String stack = "";

    /** Commits the event of task {@code task}'s stall, {@code nanos} long so far, at {@code stack}, if it is on. */
    static void commit(String task, long nanos, String stack) {
        LoopStallEvent e = new LoopStallEvent();
        if (e.shouldCommit()) {
            e.task = task;
            e.stalledFor = nanos;
            e.stack = stack;
            e.commit();
        }
    }
}
