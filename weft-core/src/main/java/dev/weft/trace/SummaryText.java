package dev.weft.trace;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The report for people that {@link Summary#toString()} is, and the numbers' formats it shares with the advisor. */
final class SummaryText {
    private static final int TASKS_SHOWN = 10;
    private static final int FRAMES_SHOWN = 3;

    private SummaryText() {}

    static String render(Summary s) {
        StringBuilder b = new StringBuilder();
        for (Summary.LoopUse l : s.loops()) {
            b.append(l.group()).append(": busy ").append(percent(l.busyShare())).append(" of ")
                    .append(time(l.wallNanos())).append(", ").append(count(l.tasks(), "task")).append('\n');
        }
        if (!s.tasks().isEmpty()) {
            b.append("tasks, most running first:\n");
            for (Summary.TaskUse t : s.tasks().subList(0, Math.min(TASKS_SHOWN, s.tasks().size()))) {
                Map<String, Long> waits = t.waitNanosByReason();
                b.append("  ").append(t.group()).append(" / ").append(t.task()).append(": ran ").append(time(t.runNanos()))
                        .append(", waited ").append(time(t.waitNanos()))
                        .append(waits.isEmpty() ? "" : " (" + byReason(waits) + ")")
                        .append(", ready ").append(time(t.readyNanos())).append('\n');
            }
            if (s.tasks().size() > TASKS_SHOWN) {
                b.append("  and ").append(count(s.tasks().size() - TASKS_SHOWN, "more task")).append('\n');
            }
        }
        if (!s.waitNanosByReason().isEmpty()) {
            b.append("waiting by reason: ").append(byReason(s.waitNanosByReason())).append('\n');
        }
        if (!s.stalls().isEmpty()) {
            b.append("long turns (").append(time(Advisor.LONG_TURN_NANOS)).append(" or more):\n");
            for (Summary.Stall st : s.stalls()) {
                b.append("  ").append(time(st.nanos())).append(" in ").append(st.group()).append(" / ").append(st.task())
                        .append(st.blocking() ? ", blocked" : st.stack().isEmpty() ? ", not sampled" : ", running")
                        .append('\n');
                st.stack().lines().limit(FRAMES_SHOWN).forEach(f -> b.append("      at ").append(f).append('\n'));
            }
        }
        if (!s.workers().isEmpty()) {
            b.append("pool workers:\n");
            for (Summary.WorkerUse w : s.workers()) {
                b.append("  ").append(w.group()).append(" / ").append(w.worker()).append(": busy ")
                        .append(percent(w.busyShare())).append(" of ").append(time(w.wallNanos())).append(", ")
                        .append(count(w.jobs(), "job")).append(w.failed() == 0 ? "" : ", " + w.failed() + " failed")
                        .append('\n');
            }
        }
        if (s.dropped() > 0) {
            b.append("note: the recorder's buffer was full and dropped the oldest ").append(count(s.dropped(), "slice"))
                    .append(": this covers only the rest\n");
        }
        return b.append("verdict: ").append(s.verdict().advice()).append(" — ").append(s.evidence()).toString();
    }

    /** Waits per reason, longest first: {@code "read 600 ms, sleep 300 ms"}. */
    private static String byReason(Map<String, Long> waits) {
        return waits.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + time(e.getValue())).collect(Collectors.joining(", "));
    }

    /** {@code "1 slice"}, {@code "3 slices"}. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** A duration for people: {@code "0.4 ms"} below 10 ms, {@code "230 ms"} below 10 s, {@code "12.5 s"} above. */
    static String time(long nanos) {
        if (nanos < 10_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return nanos < 10_000_000_000L ? Math.round(nanos / 1e6) + " ms" : String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** A share as a whole percentage: {@code "97%"}. */
    static String percent(double share) {
        return Math.round(share * 100) + "%";
    }
}
