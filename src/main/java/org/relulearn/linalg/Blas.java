package org.relulearn.linalg;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.ludovic.netlib.lapack.LAPACK;

/**
 * The BLAS and LAPACK backends relulearn's kernels call: the netlib bindings Spark ships
 * (dev.ludovic.netlib). Level-3 and long level-2 calls go to {@link #native3()}, which is the
 * system's libblas.so.3 (OpenBLAS when installed) and falls back to the pure-Java implementation;
 * short level-1 calls go to {@link #java()}, because the JNI call costs more than they do.
 */
public final class Blas {
    private Blas() {}

    /** BLAS for level-3 and long level-2 work: native when available, else the Java one. */
    public static BLAS native3() { return Holder.NATIVE; }

    /** Pure-Java BLAS (the Vector API one when jdk.incubator.vector is present). */
    public static BLAS java() { return Holder.JAVA; }

    /** LAPACK (native when available). */
    public static LAPACK lapack() { return Holder.LAPACK_INSTANCE; }

    /** Class names of the active backends, for {@code relulearn info}. */
    public static String describe() {
        return "BLAS level-3: " + native3().getClass().getName()
                + ", BLAS level-1: " + java().getClass().getName()
                + ", LAPACK: " + lapack().getClass().getName();
    }

    /** True when the native (JNI) BLAS loaded. */
    public static boolean nativeLoaded() {
        return !(native3() instanceof JavaBLAS);
    }

    private static final class Holder {
        static final BLAS JAVA = JavaBLAS.getInstance();
        static final BLAS NATIVE = loadNative();
        static final LAPACK LAPACK_INSTANCE = LAPACK.getInstance();

        private static BLAS loadNative() {
            try {
                return NativeBLAS.getInstance();
            } catch (Throwable t) {
                return JAVA;
            }
        }
    }
}
