package dev.weft.cli;

import java.util.List;

/** The lab's answer to the lesson's question, with the numbers it just measured. */
final class LabAnswer {
    private LabAnswer() {}

    /**
     * The question and its answer from the I/O case's rows of {@code calls} calls ({@link IoLab#run}) and, when it ran, the
     * CPU case's ({@link CpuLab#run}; empty otherwise).
     */
    static String of(int calls, List<LabRow> io, List<LabRow> cpu) {
        LabRow oneByOne = io.get(IoLab.ONE_AFTER_ANOTHER);
        LabRow concurrent = io.get(IoLab.CONCURRENT);
        String busy = Double.isNaN(concurrent.busy()) ? "" : String.format(" with the loop busy %.0f%%",
                100 * concurrent.busy());
        String pool = "a Pool is for CPU-bound work";
        if (!cpu.isEmpty()) {
            long sequential = cpu.get(CpuLab.ONE_AFTER_ANOTHER).wallNanos();
            long fastest = cpu.stream().mapToLong(LabRow::wallNanos).min().orElse(sequential);
            pool = String.format("a Pool is for the CPU-bound case (%.1fx on %d cores)", (double) sequential / fastest,
                    Lab.cores());
        }
        return String.format("The lesson's question: \"You need to fetch data from %d external APIs simultaneously:"
                + " which tool fits?\"%nAnswer: concurrency on one loop (asynchrony). %d calls took %s concurrently vs"
                + " %s%s one after another (%.1fx faster)%s: threads or processes add nothing for waiting; %s.",
                calls, calls, Table.seconds(concurrent.wallNanos()), oneByOne.wasSkipped() ? "about " : "",
                Table.seconds(oneByOne.wallNanos()), (double) oneByOne.wallNanos() / concurrent.wallNanos(), busy,
                pool);
    }
}
