package dev.weft;

import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Virtual threads whose continuations a given executor runs: the JDK's package-private
 * {@code java.lang.ThreadBuilders.VirtualThreadBuilder(Executor)} constructor (the one the JDK's own
 * tests use for custom schedulers), reached by reflection. It needs {@code java.lang} open to Weft:
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} on the class path (or {@code =dev.weft} on the
 * module path). Decision 0030.
 */
final class OwnCarrier {
    private OwnCarrier() {}

    /** The flag that opens {@code java.lang} to Weft, as it is loaded (class path or module path). */
    static final String FLAG = "--add-opens java.base/java.lang="
            + (OwnCarrier.class.getModule().isNamed() ? OwnCarrier.class.getModule().getName() : "ALL-UNNAMED");

    private static final @Nullable Constructor<?> BUILDER;
    /** Why the own carrier cannot be had; null when it can. */
    private static final @Nullable String UNAVAILABLE;
    private static final AtomicBoolean TOLD = new AtomicBoolean();

    static {
        Constructor<?> builder = null;
        String why;
        try {
            Constructor<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(Executor.class);
            c.setAccessible(true);
            builder = c;
            why = null;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            why = "this JDK (" + Runtime.version() + ") has no virtual-thread builder with a scheduler of its own"
                    + " (java.lang.ThreadBuilders$VirtualThreadBuilder(Executor))";
        } catch (InaccessibleObjectException | SecurityException e) {
            why = "java.lang is not open to Weft: add " + FLAG + " to the java command";
        }
        BUILDER = builder;
        UNAVAILABLE = why;
    }

    /** Why a loop cannot have a carrier of its own in this JVM, or null if it can. */
    static @Nullable String unavailable() {
        return UNAVAILABLE;
    }

    /**
     * Says once per JVM, through {@code System.Logger} "dev.weft", that loops run on the shared
     * scheduler and what to add for a carrier of their own.
     */
    static void tellFallbackOnce() {
        if (UNAVAILABLE != null && TOLD.compareAndSet(false, true)) {
            System.getLogger("dev.weft").log(System.Logger.Level.INFO, "Weft's loops run their tasks on the JDK's"
                    + " shared virtual-thread scheduler, as " + UNAVAILABLE + "; with it, each loop runs its tasks on a"
                    + " carrier thread of its own (faster task switches)");
        }
    }

    /** Virtual threads whose continuations {@code carrier} runs; only when {@link #unavailable()} is null. */
    static ThreadFactory threads(Executor carrier) {
        Constructor<?> c = BUILDER;
        if (c == null) {
            throw new IllegalStateException("no carrier of its own: " + UNAVAILABLE);
        }
        try {
            return ((Thread.Builder.OfVirtual) c.newInstance(carrier)).inheritInheritableThreadLocals(false).factory();
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("could not make virtual threads for a carrier of their own", e);
        }
    }
}
