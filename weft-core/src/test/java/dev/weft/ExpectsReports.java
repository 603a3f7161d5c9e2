package dev.weft;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Says that a test makes Weft report something it must act on (an unobserved failure, a swallowed
 * cancellation, a callback that threw, ...) on purpose: {@link ReportWatch} then lets the test pass,
 * and fails it if nothing was reported (an expectation that can no longer come true).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ExpectsReports {
    /** What is reported, and why the test wants it. */
    String value();
}
