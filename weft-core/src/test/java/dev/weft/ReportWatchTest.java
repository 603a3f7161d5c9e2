package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * ReportWatch, the extension registered for every test: runs fixture test classes through a launcher
 * of its own and checks which of them it fails. The fixtures run only from here.
 */
class ReportWatchTest {
    private static volatile boolean runningFixtures;

    static boolean runningFixtures() {
        return runningFixtures;
    }

    @Test
    void aFailureNobodyObservedInALoopTheTestDoesNotConfigureFailsTheTest() {
        assertThat(run(UnobservedFailureOnTheDefaultReporter.class)).containsExactly(
                "test(): FAILED Weft reported 1 problem(s) during this test, which does not say it expects them"
                        + " (@ExpectsReports):\n  WARNING dev.weft: task 'forgotten' failed and nobody observed its"
                        + " failure (await it, or spawn it in a TaskGroup) (java.lang.IllegalStateException: lost)",
                "ReportWatchTest$UnobservedFailureOnTheDefaultReporter: SUCCESSFUL");
    }

    @Test
    void aSwallowedCancellationFailsTheTest() {
        assertThat(run(SwallowedCancellation.class)).first().asString()
                .startsWith("test(): FAILED Weft reported 1 problem(s)")
                .contains("task 'stubborn' caught its CancelledException");
    }

    @Test
    void aFailureReportedToATestsOwnReportsFailsTheTest() {
        assertThat(run(UnobservedFailureOnATestsReports.class)).first().asString()
                .startsWith("test(): FAILED Weft reported 1 problem(s)")
                .contains("WARNING a test's Reports: task 'forgotten' failed");
    }

    @Test
    void aTestThatSaysItExpectsAReportPassesAndFailsIfNoneCame() {
        assertThat(run(Expected.class)).containsExactlyInAnyOrder(
                "expectedAndReported(): SUCCESSFUL",
                "expectedButNotReported(): FAILED the test is annotated @ExpectsReports, but Weft reported nothing"
                        + " to act on during it",
                "ReportWatchTest$Expected: SUCCESSFUL");
    }

    @Test
    void aReportOutsideTheTestsFailsTheTestClass() {
        assertThat(run(ReportInBeforeAll.class)).containsExactly(
                "test(): SUCCESSFUL",
                "ReportWatchTest$ReportInBeforeAll: FAILED Weft reported 1 problem(s) in ReportWatchTest$ReportInBeforeAll outside its tests (in"
                        + " @BeforeAll or @AfterAll, or from a task left running by a test):\n  WARNING dev.weft: task"
                        + " 'forgotten' failed and nobody observed its failure (await it, or spawn it in a TaskGroup)"
                        + " (java.lang.IllegalStateException: lost)");
    }

    @Test
    void aStallIsNotAFailure() {
        assertThat(run(Stall.class)).containsExactly("test(): SUCCESSFUL", "ReportWatchTest$Stall: SUCCESSFUL");
    }

    /** Runs the fixture class {@code c}; "name: STATUS message" of each test, then of the class. */
    private static Iterable<String> run(Class<?> c) {
        Map<String, String> results = new LinkedHashMap<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.getSource().isPresent() && !id.getDisplayName().equals("JUnit Jupiter")) {
                    results.put(id.getDisplayName(), result.getStatus() + result.getThrowable()
                            .map(t -> " " + t.getMessage()).orElse(""));
                }
            }
        };
        runningFixtures = true;
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(c)).build(),
                    listener);
        } finally {
            runningFixtures = false;
        }
        return results.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }

    private static void forgetAFailure() {
        Weft.spawn("forgotten", () -> {
            throw new IllegalStateException("lost");
        });
        Weft.yield();
    }

    @EnabledIf("dev.weft.ReportWatchTest#runningFixtures")
    static class UnobservedFailureOnTheDefaultReporter {
        @Test
        void test() {
            Weft.run(ReportWatchTest::forgetAFailure);
        }
    }

    @EnabledIf("dev.weft.ReportWatchTest#runningFixtures")
    static class SwallowedCancellation {
        @Test
        void test() {
            Loops.virtual(() -> {
                Task<String> t = Weft.spawn("stubborn", () -> {
                    try {
                        Weft.sleep(Duration.ofSeconds(1));
                    } catch (CancelledException e) {
                        return "swallowed";
                    }
                    return "slept";
                });
                Weft.yield();
                t.cancel();
                Weft.await(t);
            });
        }
    }

    @EnabledIf("dev.weft.ReportWatchTest#runningFixtures")
    static class UnobservedFailureOnATestsReports {
        @Test
        void test() {
            new Reports().run(ReportWatchTest::forgetAFailure);
        }
    }

    @EnabledIf("dev.weft.ReportWatchTest#runningFixtures")
    static class Expected {
        @Test
        @ExpectsReports("a failure nobody observes")
        void expectedAndReported() {
            Weft.run(ReportWatchTest::forgetAFailure);
        }

        @Test
        @ExpectsReports("a failure nobody observes, but the task is awaited")
        void expectedButNotReported() {
            Weft.run(() -> Weft.await(Weft.spawn(() -> 1)));
        }
    }

    @EnabledIf("dev.weft.ReportWatchTest#runningFixtures")
    static class ReportInBeforeAll {
        @BeforeAll
        static void setUp() {
            Weft.run(ReportWatchTest::forgetAFailure);
        }

        @Test
        void test() {}
    }

    @EnabledIf("dev.weft.ReportWatchTest#runningFixtures")
    static class Stall {
        @Test
        void test() {
            Reports reports = new Reports();
            try (Loop loop = Loop.builder().stallThreshold(Duration.ofMillis(20)).reporter(reports).build()) {
                loop.run(() -> {
                    while (reports.all().isEmpty()) {
                        Thread.onSpinWait(); // holds the loop until the watchdog reports it
                    }
                });
            }
            assertThat(reports.messages()).first().asString().startsWith("loop stalled");
        }
    }
}
