package dev.wengert.ops.kernel;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Says once per JVM, through {@link System.Logger} (logger {@code dev.wengert.ops.kernel}), that the
 * plain-Java kernels are in use because the Vector API is missing, and how to turn it on: a silent slowdown
 * of several times is worse than a log line. Not said when the user chose the fallback
 * ({@code -Dwengert.vector=false}; then only at DEBUG level).
 */
final class FallbackNotice {
    private FallbackNotice() {}

    private static final AtomicBoolean SAID = new AtomicBoolean();

    /** The message for a fallback with the given reason. */
    static String message(String reason) {
        return "Wengert is using its plain-Java kernels (" + reason + "): matrix products and elementwise "
                + "kernels run several times slower (a 784-512-512-10 MLP training step at batch 256 took 4.3x as "
                + "long on an AVX-512 machine). Start the JVM with --add-modules=jdk.incubator.vector to use the "
                + "Vector API (the JVM then prints 'WARNING: Using incubator modules: jdk.incubator.vector', which "
                + "is expected); -Dwengert.vector=false chooses the plain-Java kernels without this message.";
    }

    /** Logs the notice the first time it is called with a reason; later calls do nothing. */
    static void fallback(String reason, boolean chosen) {
        if (!SAID.compareAndSet(false, true)) return;
        System.Logger log = System.getLogger("dev.wengert.ops.kernel");
        if (chosen) log.log(System.Logger.Level.DEBUG, "Wengert: plain-Java kernels, " + reason);
        else log.log(System.Logger.Level.WARNING, message(reason));
    }
}
