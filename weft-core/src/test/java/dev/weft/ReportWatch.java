package dev.weft;

import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Fails a test during which Weft reported something a user must act on (an unobserved task failure,
 * a swallowed cancellation, a done callback or listener that threw: see
 * {@link ReportLog.Report#mustBeExpected}), unless the test is annotated {@link ExpectsReports}; and
 * fails a test class whose reports came outside its tests (in {@code @BeforeAll}, say). It sees the
 * reports of every loop, configured by the test or not: those logged to {@code System.Logger}
 * "dev.weft" through {@link RecordingLoggerFinder}, and those given to a test's {@link Reports}.
 *
 * <p>Registered for every test by JUnit's extension autodetection (META-INF/services and
 * junit-platform.properties in the test resources).
 */
@SuppressWarnings("exports") // a JUnit extension, loaded by JUnit on the class path: its JUnit types need no export
public final class ReportWatch implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ReportWatch.class);
    /** How many reports a failure lists (with their exceptions attached); a random stress test may make thousands. */
    private static final int SHOWN = 10;

    /** Made by JUnit's extension autodetection. */
    public ReportWatch() {}

    @Override
    public void beforeAll(ExtensionContext context) {
        open(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        open(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<ReportLog.Report> reports = close(context);
        boolean expected = context.getTestMethod()
                .map(m -> AnnotationSupport.isAnnotated(m, ExpectsReports.class)).orElse(false);
        if (expected && reports.isEmpty()) {
            throw new AssertionError("the test is annotated @ExpectsReports, but Weft reported nothing to act on"
                    + " during it");
        }
        if (!expected) {
            check(reports, "during this test, which does not say it expects them (@ExpectsReports)");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(close(context), "in " + context.getDisplayName() + " outside its tests (in @BeforeAll or @AfterAll,"
                + " or from a task left running by a test)");
    }

    private static void open(ExtensionContext context) {
        context.getStore(NAMESPACE).put("mark", ReportLog.open());
    }

    private static List<ReportLog.Report> close(ExtensionContext context) {
        return ReportLog.close(Objects.requireNonNull(context.getStore(NAMESPACE).get("mark", Long.class), "opened before"));
    }

    private static void check(List<ReportLog.Report> reports, String where) {
        if (reports.isEmpty()) {
            return;
        }
        List<ReportLog.Report> shown = reports.subList(0, Math.min(reports.size(), SHOWN));
        StringBuilder sb = new StringBuilder("Weft reported " + reports.size() + " problem(s) " + where + ":");
        for (ReportLog.Report r : shown) {
            sb.append("\n  ").append(r);
        }
        if (reports.size() > SHOWN) {
            sb.append("\n  ... and ").append(reports.size() - SHOWN).append(" more");
        }
        AssertionError e = new AssertionError(sb.toString());
        for (ReportLog.Report r : shown) {
            if (r.cause() != null) {
                e.addSuppressed(r.cause());
            }
        }
        throw e;
    }
}
