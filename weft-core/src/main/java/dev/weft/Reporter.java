package dev.weft;

import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/**
 * Where a loop says what a user must act on: a stall, a swallowed cancellation, a failure nobody
 * observed. The default goes to {@link System.Logger} {@code dev.weft}; tests substitute their own.
 */
@FunctionalInterface
interface Reporter {
    void report(Level level, String message, @Nullable Throwable cause);

    /** Reports through {@code System.getLogger("dev.weft")}. */
    static Reporter systemLogger() {
        return LoggerReporter.INSTANCE;
    }

    /** The default reporter, a singleton. */
    final class LoggerReporter implements Reporter {
        static final LoggerReporter INSTANCE = new LoggerReporter();

        private final System.Logger logger = System.getLogger("dev.weft");

        private LoggerReporter() {}

        @Override
        public void report(Level level, String message, @Nullable Throwable cause) {
            if (cause == null) {
                logger.log(level, message);
            } else {
                logger.log(level, message, cause);
            }
        }
    }
}
