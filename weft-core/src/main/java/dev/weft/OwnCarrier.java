package dev.weft;

import dev.weft.internal.OpenLang;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Virtual threads whose continuations a given executor runs: the JDK's package-private
 * {@code java.lang.ThreadBuilders.VirtualThreadBuilder(Executor)} constructor (the one the JDK's own
 * tests use for custom schedulers), reached by reflection, with {@code Thread.currentCarrierThread()}
 * and the JDK's shared scheduler. It needs {@code java.lang} open to Weft:
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} on the class path (or {@code =dev.weft} on the
 * module path). Decision 0030.
 */
final class OwnCarrier {
    private OwnCarrier() {}

    /** The flag that opens {@code java.lang} to Weft, as it is loaded (class path or module path). */
    static final String FLAG = "--add-opens " + OpenLang.VALUE;

    /** {@code new VirtualThreadBuilder(Executor)}, as {@code (Executor) -> Thread.Builder.OfVirtual}. */
    private static final @Nullable MethodHandle BUILDER;
    /** {@code Thread.currentCarrierThread()}: the platform thread running the caller (itself, if not virtual). */
    private static final @Nullable MethodHandle CURRENT_CARRIER;
    /** The JDK's scheduler of virtual threads ({@code VirtualThread.DEFAULT_SCHEDULER}). */
    private static final @Nullable Executor SHARED;
    /** Why the own carrier cannot be had; null when it can. */
    private static final @Nullable String UNAVAILABLE;
    private static final AtomicBoolean TOLD = new AtomicBoolean();

    static {
        MethodHandle builder = null;
        MethodHandle carrier = null;
        Executor shared = null;
        String why;
        try {
            Constructor<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(Executor.class);
            c.setAccessible(true);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            carrier = lookup.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            shared = (Executor) MethodHandles.privateLookupIn(vt, MethodHandles.lookup())
                    .findStaticVarHandle(vt, "DEFAULT_SCHEDULER", java.util.concurrent.ForkJoinPool.class).get();
            builder = lookup.unreflectConstructor(c)
                    .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
            why = null;
        } catch (ClassNotFoundException | NoSuchMethodException | NoSuchFieldException e) {
            why = "this JDK (" + Runtime.version() + ") lacks what a loop's own carrier is made of (" + e.getMessage() + ")";
        } catch (InaccessibleObjectException | IllegalAccessException | SecurityException e) {
            why = "java.lang is not open to Weft: add " + FLAG + " to the java command";
        }
        BUILDER = builder;
        CURRENT_CARRIER = carrier;
        SHARED = shared;
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

    /** A new, unstarted virtual thread running {@code task}, whose continuations {@code scheduler} runs. */
    static Thread newThread(Executor scheduler, Runnable task) {
        try {
            Thread.Builder.OfVirtual b = (Thread.Builder.OfVirtual) available(BUILDER).invokeExact(scheduler);
            return b.inheritInheritableThreadLocals(false).unstarted(task);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) { // the constructor declares nothing
            throw new IllegalStateException(e);
        }
    }

    /** The platform thread that runs the current thread: itself, or a virtual thread's carrier. */
    static Thread currentCarrier() {
        try {
            return (Thread) available(CURRENT_CARRIER).invokeExact();
        } catch (Throwable e) { // it throws nothing
            throw new AssertionError(e);
        }
    }

    /** The JDK's shared scheduler of virtual threads. */
    static Executor shared() {
        return available(SHARED);
    }

    private static <T> T available(@Nullable T t) {
        if (t == null) {
            throw new IllegalStateException("no carrier of its own: " + UNAVAILABLE);
        }
        return t;
    }
}
