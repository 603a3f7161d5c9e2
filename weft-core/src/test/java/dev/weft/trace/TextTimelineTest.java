package dev.weft.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link Recorder#textTimeline} on slices with chosen times. */
class TextTimelineTest {
    private final Recorder recorder = Recorder.create();
    private final long base = recorder.origin() + 5_000_000;

    /** {@code ms} milliseconds after the first slice. */
    private long at(double ms) {
        return base + (long) (ms * 1_000_000);
    }

    @Test
    void aLanePerTrackACellPerColumnWithScaleAndLegend() {
        Track main = recorder.track("loop 1 (main)", "main #1");
        Track fetch = recorder.track("loop 1 (main)", "fetch #2");
        main.ran(at(0), at(2));
        main.waited(at(2), at(10), "task");
        main.ready(at(10), at(11));
        main.ran(at(11), at(20));
        fetch.ready(at(0), at(2));
        fetch.ran(at(2), at(4));
        fetch.waited(at(4), at(15), "sleep");
        fetch.woke(main, at(15));
        fetch.marked(at(15), "stall", "not drawn");
        fetch.ready(at(15), at(16));
        fetch.ran(at(16), at(17));

        assertThat(recorder.textTimeline(20, 8)).isEqualTo("""
                loop 1 (main)
                         |+---------+---------|
                main #1  |##........-#########|
                fetch #2 |--##...........-#   |
                0 to 20 ms: 1 ms a column, '+' every 10 columns
                # running  . waiting  - ready  = pool job  blank: nothing recorded
                """);
    }

    @Test
    void eachCellShowsTheStateThatCoveredMostOfItRunningWinningATie() {
        Track task = recorder.track("loop 1 (main)", "task #1");
        task.ran(at(0), at(0.3));
        task.waited(at(0.3), at(1), "sleep"); // cell 0: more waiting than running
        task.ran(at(1), at(1.5));
        task.ready(at(1.5), at(2)); // cell 1: a tie
        task.ran(at(2), at(2.2));
        task.ready(at(2.2), at(3)); // cell 2: more ready
        task.waited(at(3), at(10), "lock");

        assertThat(recorder.textTimeline(10, 1).lines().skip(2).findFirst()).hasValue("task #1 |.#-.......|");
    }

    @Test
    void groupsInOrderPoolJobsAsEqualsSignsAndNamesMadeAsciiAndShort() {
        Track task = recorder.track("loop 1 (main)", "t\u00e9l\u00e9charge\n#1");
        Track worker = recorder.track("pool threads", "worker-1 of a pool with a very long name");
        task.ran(at(0), at(5));
        worker.worked(at(5), at(10), "crunch", "");

        assertThat(recorder.textTimeline(10, 3)).isEqualTo("""
                loop 1 (main)
                                         |+---------|
                t?l?charge?#1            |#####     |
                pool threads
                                         |+---------|
                worker-1 of a pool with~ |     =====|
                0 to 10 ms: 1 ms a column, '+' every 10 columns
                # running  . waiting  - ready  = pool job  blank: nothing recorded
                """);
    }

    @Test
    void aGroupShowsItsBusiestLanesAndCountsTheRest() {
        Track idle = recorder.track("loop 1 (main)", "idle #1");
        Track busy = recorder.track("loop 1 (main)", "busy #2");
        Track busier = recorder.track("loop 1 (main)", "busier #3");
        idle.waited(at(0), at(10), "event");
        busy.ran(at(0), at(4));
        busier.ran(at(4), at(10));

        assertThat(recorder.textTimeline(10, 2)).isEqualTo("""
                loop 1 (main)
                          |+---------|
                busy #2   |####      |
                busier #3 |    ######|
                (+1 more lane)
                0 to 10 ms: 1 ms a column, '+' every 10 columns
                # running  . waiting  - ready  = pool job  blank: nothing recorded
                """);
        assertThat(recorder.textTimeline(10, 1)).contains("busier #3").doesNotContain("busy #2")
                .contains("(+2 more lanes)");
    }

    @Test
    void anEmptyRecordingSaysSo() {
        recorder.track("loop 1 (main)", "main #1").marked(at(0), "stall", "an instant only");

        assertThat(recorder.textTimeline(10, 1)).startsWith("nothing recorded: no task ran, waited or was ready");
    }

    @Test
    void tooFewColumnsOrLanesAreRejectedSayingWhatIsAllowed() {
        assertThatThrownBy(() -> recorder.textTimeline(9, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a text timeline is at least 10 columns wide, not 9");
        assertThatThrownBy(() -> recorder.textTimeline(80, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a text timeline shows at least 1 lane a group, not 0");
    }
}
