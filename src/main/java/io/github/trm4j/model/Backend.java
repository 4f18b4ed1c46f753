package io.github.trm4j.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.bytedeco.javacpp.Loader;

/**
 * Loads libtorch from the JavaCPP jars, offline, before any torch class is touched.
 *
 * <p>Without {@link Loader#cacheResources} first, a system libtorch (Debian's python3-torch puts a
 * 1.13 {@code libtorch_cpu.so} in /lib) can be picked up and the JVM dies. Call {@link #init} at the
 * start of every command and test that computes; it is idempotent.
 */
public final class Backend {
    private static volatile boolean ready;

    private Backend() {}

    /** Extracts the natives, loads libtorch and sets the intra-op thread count (0 = all cores). */
    public static synchronized void init(int threads) {
        load();
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        org.bytedeco.pytorch.global.torch.set_num_threads(n);
    }

    /** Extracts the natives and loads libtorch, leaving the thread count as it is. */
    public static synchronized void load() {
        if (!ready) {
            try {
                Loader.cacheResources("/org/bytedeco/pytorch/" + Loader.getPlatform() + "/");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract libtorch natives", e);
            }
            Loader.load(org.bytedeco.pytorch.global.torch.class);
            ready = true;
        }
    }

    /** {@link #init(int)} with one thread per core. */
    public static void init() {
        init(0);
    }
}
