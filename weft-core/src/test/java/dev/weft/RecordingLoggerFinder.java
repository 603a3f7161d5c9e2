package dev.weft;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import org.jspecify.annotations.Nullable;

/**
 * The tests' {@code System.LoggerFinder} (registered in META-INF/services): loggers that print INFO
 * and above to standard error, as the JDK's default configuration does, and that also hand what Weft
 * logs ("dev.weft" and below) to {@link ReportLog}, whichever loop logged it.
 */
public final class RecordingLoggerFinder extends System.LoggerFinder {
    /** Made by the JDK's {@code ServiceLoader}. */
    public RecordingLoggerFinder() {}

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new RecordingLogger(name);
    }

    private record RecordingLogger(String name) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && (weft() || printed(level));
        }

        @Override
        public void log(Level level, @Nullable ResourceBundle bundle, String msg, @Nullable Throwable thrown) {
            print(level, msg, thrown);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            print(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params), null);
        }

        private void print(Level level, String msg, @Nullable Throwable thrown) {
            if (weft()) {
                ReportLog.add(new ReportLog.Report(level, name, msg, thrown));
            }
            if (printed(level)) {
                synchronized (System.err) {
                    System.err.println(level + " " + name + ": " + msg);
                    if (thrown != null) {
                        thrown.printStackTrace();
                    }
                }
            }
        }

        private boolean weft() {
            return name.equals("dev.weft") || name.startsWith("dev.weft.");
        }

        private static boolean printed(Level level) {
            return level != Level.OFF && level.getSeverity() >= Level.INFO.getSeverity();
        }
    }
}
