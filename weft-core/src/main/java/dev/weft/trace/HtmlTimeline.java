package dev.weft.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Placeholder until the HTML timeline lands (issue 12, in progress): writes the summary only. */
final class HtmlTimeline {
    private HtmlTimeline() {}

    static void write(List<Slice> slices, long origin, long dropped, Summary summary, Path file) throws IOException {
        Files.writeString(file, "<!doctype html><pre>" + slices.size() + " slices; " + summary + "</pre>");
    }
}
