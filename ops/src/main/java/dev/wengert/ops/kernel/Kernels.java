package dev.wengert.ops.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Chooses the micro-kernel at run time, the way Apache Lucene guards its Panama code: the class that
 * references {@code jdk.incubator.vector} ({@link VectorMicroKernels}) is loaded reflectively, and only
 * when the module is in the boot layer (i.e. the JVM was started with
 * {@code --add-modules=jdk.incubator.vector}). Otherwise, or when {@code -Dwengert.vector=false}, or if
 * loading fails for any reason (e.g. a future JDK changed the incubator API), the plain-Java kernel is used.
 */
final class Kernels {

    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "dev.wengert.ops.kernel.VectorMicroKernels";

    private Kernels() {
    }

    /** The plain-Java fallback, always available. */
    static MicroKernel scalar() {
        return ScalarMicroKernel.INSTANCE;
    }

    /** The Vector API kernel, or null if it cannot be used in this JVM (see {@link #vectorUnavailableReason()}). */
    static MicroKernel vector() {
        return VectorHolder.KERNEL;
    }

    /** Why {@link #vector()} is null, or null if it is not. */
    static String vectorUnavailableReason() {
        return VectorHolder.REASON;
    }

    /** The kernel {@link Gemm} uses. */
    static MicroKernel active() {
        return ActiveHolder.KERNEL;
    }

    /** Why the fallback is active, or null when the vector kernel is. */
    static String fallbackReason() {
        return ActiveHolder.REASON;
    }

    private static final class ActiveHolder {
        static final MicroKernel KERNEL;
        static final String REASON;

        static {
            String prop = System.getProperty("wengert.vector");
            boolean chosen = prop != null && prop.trim().equalsIgnoreCase("false");
            if (chosen) {
                // Do not even load the vector class: this is the "as if the module were absent" switch.
                KERNEL = scalar();
                REASON = "disabled by -Dwengert.vector=false";
            } else if (vector() != null) {
                KERNEL = vector();
                REASON = null;
            } else {
                KERNEL = scalar();
                REASON = vectorUnavailableReason();
            }
            if (REASON != null) FallbackNotice.fallback(REASON, chosen);
        }
    }

    /** Holder so the reflective lookup happens once, on first use, and never when the vector path is disabled. */
    private static final class VectorHolder {
        static final MicroKernel KERNEL;
        static final String REASON;

        static {
            MicroKernel kernel = null;
            String reason = null;
            if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
                reason = VECTOR_MODULE + " not present (start the JVM with --add-modules=" + VECTOR_MODULE + ")";
            } else {
                try {
                    Class<?> cls = Class.forName(VECTOR_CLASS);
                    Method create = cls.getDeclaredMethod("create", String.class);
                    create.setAccessible(true);
                    MicroKernel k = (MicroKernel) create.invoke(null, System.getProperty("wengert.gemm.tile"));
                    int lanes = cls.getDeclaredField("L").getInt(null);
                    if (lanes < 2 && System.getProperty("wengert.vector.bits") == null) {
                        // No SIMD worth the name (e.g. a 64-bit preferred species): the Vector API would
                        // only add overhead over plain scalar code.
                        reason = "preferred vector species has " + lanes + " double lane(s)";
                    } else {
                        kernel = k;
                    }
                } catch (InvocationTargetException e) {
                    reason = "vector kernel failed to initialise: " + e.getCause();
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    reason = "vector kernel failed to load: " + e;
                }
            }
            KERNEL = kernel;
            REASON = reason;
        }
    }
}
