package dev.weft.trace;

import java.nio.file.Path;
import java.util.List;

/** Placeholder until the HTML timeline lands (issue 12, in progress). */
final class HtmlTimeline {
    private HtmlTimeline() {}

    static void write(List<Slice> slices, long origin, long dropped, Summary summary, Path file) {
        throw new UnsupportedOperationException("the HTML timeline is not written yet");
    }
}
