package io.github.trm4j.model;

import io.github.trm4j.AtomicOutput;
import io.github.trm4j.model.ModelConfig.ForwardDtype;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.bytedeco.pytorch.global.torch;

/**
 * Times fp32 against bf16 matmul on this CPU, once per machine: at the shapes of the models (a batch
 * of 64 Sudokus, 64·81 rows × 512 × 512, and 1024³), the two dtypes in turn, best of three each,
 * about half a second in all. The rates are cached in
 * {@code ${XDG_CACHE_HOME:-~/.cache}/trm4j/bf16-probe-HASH.properties}, keyed by CPU model, CPU flags,
 * libtorch version and thread count; a file that does not parse or holds another key is measured
 * again and replaced. A measurement taken while the machine is busy (load average above the core
 * count) decides this run only and is not cached. {@code TRM_DTYPE_PROBE=off} (or
 * {@code -Dtrm.dtype.probe=off}) skips the probe: auto then keeps fp32.
 */
public final class Bf16Probe {
    /** The system property that turns the probe off ({@code off}); the environment variable is {@link #ENV}. */
    public static final String PROPERTY = "trm.dtype.probe";
    /** The environment variable that turns the probe off ({@code off}). */
    public static final String ENV = "TRM_DTYPE_PROBE";
    /** The timed shapes, m × k × n. */
    static final int[][] SHAPES = {{64 * 81, 512, 512}, {1024, 1024, 1024}};
    /** Rounds of fp32 then bf16 at every shape; each dtype and shape keeps its best round. */
    static final int ROUNDS = 3;

    private Bf16Probe() {}

    /**
     * The rates for {@code hw} (this machine): from the cache when it holds them, else measured now
     * and cached; not measured when the probe is off or fails. Loads libtorch when needed.
     */
    public static Bf16Speed speed(Hardware hw) {
        if (off()) return Bf16Speed.notMeasured(ENV + "=off");
        try {
            String key = machineKey(hw);
            Optional<String> busy = Diagnostics.busy() ? Optional.of("load " + Diagnostics.loadAverage()) : Optional.empty();
            return lookup(cacheFile(cacheDir(), key), key, Bf16Probe::measure, busy);
        } catch (RuntimeException e) {
            return Bf16Speed.notMeasured("the probe failed: " + e.getMessage());
        }
    }

    /** The cached rates for {@code hw} (this machine), without measuring. */
    public static Optional<Bf16Speed> cached(Hardware hw) {
        String key = machineKey(hw);
        return read(cacheFile(cacheDir(), key), key);
    }

    /**
     * The cached rates under {@code key} in {@code file}, else {@code measure}'s, written to {@code file}
     * unless {@code busy} says why the machine is too busy for them to be kept.
     */
    static Bf16Speed lookup(Path file, String key, Supplier<Bf16Speed> measure, Optional<String> busy) {
        Optional<Bf16Speed> hit = read(file, key);
        if (hit.isPresent()) return hit.get();
        Bf16Speed now = measure.get();
        if (busy.isPresent())
            return new Bf16Speed(now.fp32Gflops(), now.bf16Gflops(), "measured now under " + busy.get() + ", not cached");
        try {
            write(file, key, now);
            return new Bf16Speed(now.fp32Gflops(), now.bf16Gflops(), "measured now, cached in " + file);
        } catch (RuntimeException e) {
            return new Bf16Speed(now.fp32Gflops(), now.bf16Gflops(), "measured now, not cached: " + e.getMessage());
        }
    }

    /** The rates {@code file} holds for {@code key}; empty when it is missing, unreadable, corrupt or another machine's. */
    static Optional<Bf16Speed> read(Path file, String key) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
            if (!key.equals(p.getProperty("key"))) return Optional.empty();
            double fp32 = Double.parseDouble(p.getProperty("fp32_gflops", ""));
            double bf16 = Double.parseDouble(p.getProperty("bf16_gflops", ""));
            if (!(fp32 > 0 && bf16 > 0 && Double.isFinite(fp32) && Double.isFinite(bf16))) return Optional.empty();
            return Optional.of(new Bf16Speed(fp32, bf16, "cached in " + file + " on " + p.getProperty("measured", "an unknown date")));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // NumberFormatException, a malformed escape, bytes that are not UTF-8: measure again
        }
    }

    /** Writes {@code speed} under {@code key} to {@code file} atomically, replacing what was there. */
    static void write(Path file, String key, Bf16Speed speed) {
        Properties p = new Properties();
        p.setProperty("key", key);
        p.setProperty("fp32_gflops", Double.toString(speed.fp32Gflops()));
        p.setProperty("bf16_gflops", Double.toString(speed.bf16Gflops()));
        p.setProperty("measured", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        Path tmp = AtomicOutput.beginFile(file, true);
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "trm4j: fp32 and bf16 matmul rates of this machine, for --dtype auto (delete to measure again)");
        } catch (IOException e) {
            AtomicOutput.abandon(tmp);
            throw new UncheckedIOException("cannot write " + tmp, e);
        }
        AtomicOutput.commitFile(tmp, file);
    }

    /**
     * Times both dtypes at {@link #SHAPES}, in turn so that both see the same machine, and gives each
     * dtype's total work over the sum of its best times.
     */
    static Bf16Speed measure() {
        Backend.load();
        double[] fp32 = new double[SHAPES.length];
        double[] bf16 = new double[SHAPES.length];
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < SHAPES.length; i++) {
                fp32[i] = Math.max(fp32[i], gflops(ForwardDtype.FLOAT32, SHAPES[i]));
                bf16[i] = Math.max(bf16[i], gflops(ForwardDtype.BFLOAT16, SHAPES[i]));
            }
        }
        return new Bf16Speed(overall(fp32), overall(bf16), "measured now");
    }

    private static double gflops(ForwardDtype dtype, int[] s) {
        return ForwardBenchmark.matmulGflops(dtype, s[0], s[1], s[2], 1, ComputeDevice.CPU);
    }

    /** The rate over all {@link #SHAPES} together from the rate at each. */
    private static double overall(double[] gflops) {
        double gflop = 0;
        double seconds = 0;
        for (int i = 0; i < SHAPES.length; i++) {
            double g = 2.0 * SHAPES[i][0] * SHAPES[i][1] * SHAPES[i][2] / 1e9;
            gflop += g;
            seconds += g / gflops[i];
        }
        return gflop / seconds;
    }

    /** What the verdict depends on: CPU model and flags, libtorch version, intra-op threads. */
    static String machineKey(Hardware hw) {
        Backend.load();
        return key(hw, Diagnostics.libtorchVersion(), torch.get_num_threads());
    }

    static String key(Hardware hw, String libtorch, int threads) {
        return hw.cpuModel() + " | " + String.join(" ", new TreeSet<>(hw.cpuFlags())) + " | libtorch " + libtorch
                + " | " + threads + " threads";
    }

    /** The cache file for {@code key} in {@code dir}: one per machine, so that a shared home serves several. */
    static Path cacheFile(Path dir, String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return dir.resolve("bf16-probe-" + HexFormat.of().formatHex(h, 0, 8) + ".properties");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The launcher's cache folder: {@code ${XDG_CACHE_HOME:-$HOME/.cache}/trm4j}. */
    static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("trm4j");
    }

    private static boolean off() {
        String v = System.getProperty(PROPERTY, System.getenv(ENV));
        return v != null && v.trim().equalsIgnoreCase("off");
    }
}
