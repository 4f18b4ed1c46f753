package io.github.trm4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What the machine computes natively, asked once: the CPU's vector extensions (from
 * {@code /proc/cpuinfo}), the compute capability of CUDA device 0, and on a CPU with native bf16
 * whether bf16 matmul is actually faster there. An interface so that tests
 * can answer both ways; {@link #probe()} asks the real machine.
 */
public interface Hardware {
    /** The CPU's model name, e.g. "AMD EPYC 9B45"; "unknown" when the OS does not say. */
    String cpuModel();

    /** The CPU's feature flags in lower case as the OS names them (avx2, avx512f, avx512_bf16, amx_bf16, ...). */
    Set<String> cpuFlags();

    /** Compute capability of CUDA device 0 as major·10 + minor (86 for 8.6); empty without a CUDA device. */
    OptionalInt cudaCapability();

    /** The compute capability of CUDA device 0 as "8.6"; empty without a CUDA device. */
    default Optional<String> cudaCapabilityLabel() {
        OptionalInt c = cudaCapability();
        return c.isPresent() ? Optional.of(c.getAsInt() / 10 + "." + c.getAsInt() % 10) : Optional.empty();
    }

    /** True when the CPU has a bf16 dot-product instruction (AVX512-BF16 or AMX-BF16). */
    default boolean cpuNativeBf16() {
        return cpuFlags().contains("avx512_bf16") || cpuFlags().contains("amx_bf16");
    }

    /**
     * How fast this CPU computes bf16 matmul against fp32, asked only where {@link #cpuNativeBf16()}:
     * the real machine measures once ({@link Bf16Probe}); {@link #of} answers "not measured" unless
     * given rates with {@link #withCpuBf16Speed}.
     */
    default Bf16Speed cpuBf16Speed() {
        return Bf16Speed.notMeasured("no measurement given");
    }

    /** This hardware with {@code speed} as its {@link #cpuBf16Speed()}, asked at most once. */
    default Hardware withCpuBf16Speed(Supplier<Bf16Speed> speed) {
        Hardware base = this;
        return new Hardware() {
            private Bf16Speed answer;

            @Override public String cpuModel() { return base.cpuModel(); }
            @Override public Set<String> cpuFlags() { return base.cpuFlags(); }
            @Override public OptionalInt cudaCapability() { return base.cudaCapability(); }
            @Override public synchronized Bf16Speed cpuBf16Speed() {
                if (answer == null) answer = speed.get();
                return answer;
            }
        };
    }

    /** The widest vector extensions as one short label: "AVX512-BF16, AMX-BF16", "AVX-512", "AVX2", ... */
    default String cpuVectorLabel() {
        Set<String> f = cpuFlags();
        List<String> bf16 = new ArrayList<>();
        if (f.contains("avx512_bf16")) bf16.add("AVX512-BF16");
        if (f.contains("amx_bf16")) bf16.add("AMX-BF16");
        if (!bf16.isEmpty()) return String.join(", ", bf16);
        if (f.contains("avx512f")) return "AVX-512";
        if (f.contains("avx2")) return "AVX2";
        if (f.contains("avx")) return "AVX";
        if (f.contains("sse4_2")) return "SSE4.2";
        return f.isEmpty() ? "CPU flags unknown" : "no AVX";
    }

    /**
     * The hardware of this machine: /proc/cpuinfo, CUDA device 0 when libtorch's CUDA build sees one,
     * and the bf16 matmul speed measured (or cached) the first time it is asked.
     */
    static Hardware probe() {
        return SystemHolder.SYSTEM;
    }

    /** A fixed answer, for tests and for machines described by hand. */
    static Hardware of(String cpuModel, Set<String> cpuFlags, OptionalInt cudaCapability) {
        Set<String> flags = Set.copyOf(cpuFlags);
        return new Hardware() {
            @Override public String cpuModel() { return cpuModel; }
            @Override public Set<String> cpuFlags() { return flags; }
            @Override public OptionalInt cudaCapability() { return cudaCapability; }
        };
    }

    /** Parses the first processor's "model name" and "flags" lines of a /proc/cpuinfo text. */
    static Hardware fromCpuinfo(String cpuinfo, OptionalInt cudaCapability) {
        String model = "unknown";
        Set<String> flags = new TreeSet<>();
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("model name") && model.equals("unknown")) model = value;
            if (key.equals("flags") && flags.isEmpty()) flags.addAll(Arrays.asList(value.toLowerCase(Locale.ROOT).split("\\s+")));
        }
        return of(model, flags, cudaCapability);
    }

    /** The real machine, probed on first use. */
    final class SystemHolder {
        private static final Hardware CPUINFO = fromCpuinfo(readCpuinfo(), CudaProbe.capability());
        static final Hardware SYSTEM = CPUINFO.withCpuBf16Speed(() -> Bf16Probe.speed(CPUINFO));

        private SystemHolder() {}

        private static String readCpuinfo() {
            try {
                return Files.readString(Path.of("/proc/cpuinfo"));
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }
}
