package dev.weft.trace;

import java.nio.file.Path;

/** Placeholder until the HTML timeline lands (issue 12, in progress). */
final class HtmlTimeline {
    private HtmlTimeline() {}

    static void write(Recorder recorder, Path file) {
        throw new UnsupportedOperationException("the HTML timeline is not written yet");
    }
}
