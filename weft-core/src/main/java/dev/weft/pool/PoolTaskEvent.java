package dev.weft.pool;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event of a job or map chunk a pool's worker ran; off unless a recording enables it. */
@Name("dev.weft.PoolTask")
@Label("Pool Task")
@Category("Weft")
@Description("A job or map chunk run by a worker of a Weft pool (a process pool's time: sent to answered)")
@Enabled(false)
@StackTrace(false)
final class PoolTaskEvent extends Event {
    @Label("Pool")
    String pool = "";

    @Label("Worker")
    int worker;

    @Label("Job")
    String job = "";

    @Label("Size")
    @Description("How many items: a map chunk's, 1 for a job")
    int size;

    @Label("Failed")
    boolean failed;
}
