package io.github.trm4j.cli;

import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The {@code --dtype} option of every command that computes, resolved once. The command says the
 * choice ({@link DtypeChoice#line()}) in its report once the model is loaded; emulated bf16 warns on stderr.
 */
final class DtypeOption {
    @Option(names = "--dtype", paramLabel = DtypeChoice.OPTION_VALUES, defaultValue = "auto",
            description = "Forward dtype: auto (bf16 where the device computes it natively and fast: CUDA 8.0+, or an "
                    + "AVX512-BF16/AMX-BF16 CPU where a cached sub-second probe timed bf16 matmul at least 1.3x fp32; fp32 elsewhere), "
                    + "fp32 or bf16 (default: ${DEFAULT-VALUE}).")
    String value = "auto";

    /** The choice for {@code device}; for emulated bf16, a one-time warning on {@code err}. */
    DtypeChoice resolve(ComputeDevice device, PrintWriter err) {
        DtypeChoice choice = DtypeChoice.resolve(value, device);
        choice.warningOnce().ifPresent(w -> err.println("trm: " + w));
        err.flush();
        return choice;
    }
}
