package io.github.trm4j.model;

import io.github.trm4j.model.ModelConfig.ForwardDtype;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.pytorch.global.torch;

/**
 * {@code trm doctor}: what this machine and this build of trm4j are, as lines to paste into a bug
 * report: the CPU and its vector extensions, native bf16, threads, tcmalloc, versions, CUDA, the
 * natives cache, the bf16 probe's verdict ({@link Bf16Probe}), and a few seconds of fp32 and bf16 matmul. Needs {@link Backend#init}.
 */
public final class Diagnostics {
    private Diagnostics() {}

    /** The report as ordered (key, value) pairs; {@code measure} false skips the matmul timings. */
    public static Map<String, String> report(Hardware hw, boolean measure) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("trm4j", Checkpoint.trm4jVersion());
        r.put("libtorch", libtorchVersion() + " (JavaCPP presets " + presetsVersion() + ")");
        r.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        r.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        r.put("cpu", hw.cpuModel());
        r.put("vector extensions", vectorFlags(hw));
        r.put("libtorch cpu capability", torch.get_cpu_capability().getString());
        r.put("native bf16 (cpu)", hw.cpuNativeBf16() ? "yes (" + hw.cpuVectorLabel() + ")" : "no (" + hw.cpuVectorLabel() + ")");
        r.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        r.put("torch threads", torch.get_num_threads() + " intra-op, " + torch.get_num_interop_threads() + " inter-op");
        r.put("OMP_WAIT_POLICY", env("OMP_WAIT_POLICY"));
        r.put("OMP_NUM_THREADS", env("OMP_NUM_THREADS"));
        r.put("tcmalloc", tcmalloc());
        r.put("javacpp maxPhysicalBytes", String.valueOf(System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes", "default (not 0)")));
        r.put("max heap", Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        r.put("cuda devices", cuda(hw));
        r.put("natives cache", cache());
        Hardware probed = measure ? hw : hw.withCpuBf16Speed(() -> Bf16Probe.cached(hw)
                .orElse(Bf16Speed.notMeasured("--no-measure, and nothing cached")));
        if (hw.cpuNativeBf16()) r.put("bf16 probe (cpu)", probeLine(probed.cpuBf16Speed()));
        DtypeChoice auto = DtypeChoice.resolve("auto", ComputeDevice.CPU, probed);
        r.put("forward dtype (auto, cpu)", auto.label() + " (" + auto.reason() + ")");
        r.put("load average", loadAverage());
        if (measure) {
            r.put("matmul fp32 1024^3", String.format("%.1f GFLOP/s", ForwardBenchmark.matmulGflops(ForwardDtype.FLOAT32, 1024, ComputeDevice.CPU)));
            // emulated bf16 is slow enough that a small matmul says it in a fraction of a second
            int n = hw.cpuNativeBf16() ? 1024 : 256;
            r.put("matmul bf16 " + n + "^3", String.format("%.1f GFLOP/s%s", ForwardBenchmark.matmulGflops(ForwardDtype.BFLOAT16, n, ComputeDevice.CPU),
                    hw.cpuNativeBf16() ? "" : " (emulated: this CPU has no native bf16)"));
        }
        return r;
    }

    /** The probe's two rates and what auto makes of them. */
    static String probeLine(Bf16Speed speed) {
        if (!speed.measured()) return "not measured (" + speed.source() + "): auto keeps fp32";
        return String.format(java.util.Locale.ROOT, "fp32 %.1f GFLOP/s, bf16 %.1f GFLOP/s: bf16 %.2fx fp32, so auto picks %s (bf16 needs %.1fx; %s)",
                speed.fp32Gflops(), speed.bf16Gflops(), speed.speedup(), speed.bf16Faster() ? "bf16" : "fp32",
                Bf16Speed.MIN_SPEEDUP, speed.source());
    }

    /** The vector extensions trm4j cares about that the CPU has, in order of width. */
    static String vectorFlags(Hardware hw) {
        StringBuilder b = new StringBuilder();
        for (String f : new String[] {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512_vnni", "avx512_bf16", "avx512_fp16",
            "amx_tile", "amx_bf16"}) {
            if (hw.cpuFlags().contains(f)) b.append(b.length() == 0 ? "" : " ").append(f);
        }
        return b.length() == 0 ? "unknown" : b.toString();
    }

    /** The 1-minute load average and what it means for the timings. */
    static String loadAverage() {
        OptionalDouble load = load1();
        if (load.isEmpty()) return "unknown";
        int cores = Runtime.getRuntime().availableProcessors();
        return String.format("%.1f on %d cores%s", load.getAsDouble(), cores, busy(load) ? " (busy: the timings below are low)" : "");
    }

    /** True when more threads want the CPU than it has cores (the 1-minute load average), so timings are low and noisy. */
    static boolean busy() {
        return busy(load1());
    }

    private static boolean busy(OptionalDouble load) {
        return load.isPresent() && load.getAsDouble() > Runtime.getRuntime().availableProcessors();
    }

    /** The 1-minute load average from /proc/loadavg; empty where there is none. */
    static OptionalDouble load1() {
        try {
            return OptionalDouble.of(Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    static String libtorchVersion() {
        Matcher m = Pattern.compile("TORCH_VERSION=([0-9.]+)").matcher(torch.show_config().getString());
        return m.find() ? m.group(1) : "unknown";
    }

    private static String presetsVersion() {
        String v = torch.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null ? "(unset)" : v;
    }

    /** Whether libtcmalloc is mapped into this process (the launcher preloads it when installed). */
    static String tcmalloc() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            if (maps.anyMatch(l -> l.contains("libtcmalloc"))) return "loaded";
        } catch (IOException | RuntimeException e) {
            return "unknown (no /proc/self/maps)";
        }
        boolean installed = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"));
        return installed ? "installed but not loaded (run through ./trm, and TRM_NO_TCMALLOC unset)"
                : "not installed (apt-get install libtcmalloc-minimal4: about 1.5x faster training steps)";
    }

    private static String cuda(Hardware hw) {
        int n = torch.cuda_device_count();
        if (n == 0) return "none" + (torch.cuda_is_available() ? "" : " (this build or machine has no CUDA)");
        return n + hw.cudaCapabilityLabel().map(c -> ", device 0 compute capability " + c).orElse("");
    }

    /** JavaCPP's cache folder and its size (the extracted libtorch natives). */
    static String cache() {
        String dir = System.getProperty("org.bytedeco.javacpp.cachedir");
        Path p = dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".javacpp", "cache");
        if (!Files.isDirectory(p)) return p + " (missing)";
        try (Stream<Path> files = Files.walk(p)) {
            long bytes = files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
            return p + " (" + bytes / (1 << 20) + " MB)";
        } catch (IOException | RuntimeException e) {
            return p + " (size unknown: " + e.getMessage() + ")";
        }
    }
}
