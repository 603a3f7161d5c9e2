package dev.weft.trace;

/** Placeholder until the advisor lands (issue 12, in progress). */
public final class Summary {
    private Summary() {}
}
