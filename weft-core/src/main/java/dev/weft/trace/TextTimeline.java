package dev.weft.trace;

import java.util.List;

/** Placeholder until the text timeline lands (issue 12, in progress). */
final class TextTimeline {
    private TextTimeline() {}

    static String render(List<Slice> slices, int width, int lanes) {
        return slices.size() + " slices (the text timeline is not written yet, " + width + "x" + lanes + ")";
    }
}
