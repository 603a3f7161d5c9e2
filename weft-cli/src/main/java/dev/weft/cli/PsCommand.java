package dev.weft.cli;

import picocli.CommandLine.Command;

/** {@code weft ps PID}: the loops of a running JVM that uses Weft, a table of tasks each, and warnings. */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"Shows the tasks of a running JVM's Weft loops, and warnings.",
            "For each loop, each task's id, name, state, what it waits"
            + " for and for how long, busy time, parent and group; then warnings: a task holding its loop"
            + " (a stall), a loop busy most of the time, tasks deadlocked waiting for each other, many tasks that"
            + " never end.",
            "Reads the program through the JDK's attach API and its local management agent: no port of Weft's own,"
            + " and no need for the loops' turn, so a stalled or deadlocked program answers too."})
final class PsCommand extends LiveCommand {
    @Override
    String textView() {
        return "table";
    }
}
