package dev.weft.cli;

import picocli.CommandLine.Command;

/** {@code weft pstree PID}: the tasks of each loop of a running JVM as a tree of task groups and waits. */
@Command(name = "pstree", mixinStandardHelpOptions = true,
        description = {"Shows the tasks of a running JVM's Weft loops as a tree, and warnings.",
            "Under each task, the"
            + " task groups it opened (g1, g2, ...) with their children and the tasks it spawned; '-> #5' says which"
            + " tasks a waiting task needs to end or to release a lock. Then the same warnings as 'weft ps'."})
final class PstreeCommand extends LiveCommand {
    @Override
    String textView() {
        return "tree";
    }
}
