package io.github.trm4j.cli;

import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ForwardBenchmark;
import io.github.trm4j.model.ModelConfig.ForwardDtype;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm bench}: performance measurements (slow; not tests). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure performance (slow).",
        subcommands = {BenchCommand.Forward.class, BenchTrainCommand.class, BenchSolveCommand.class, BenchThinkCommand.class})
final class BenchCommand {

    /** {@code trm bench forward}: ms per supervision step, GFLOP/s against the plain matmul rate, memory. */
    @Command(name = "forward", mixinStandardHelpOptions = true,
            description = "Time evaluation-mode supervision steps and compare with the machine's matmul rate.")
    static final class Forward implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--preset", split = ",", paramLabel = "NAME", defaultValue = "sudoku-mlp,sudoku-att",
                description = "Presets to time (default: ${DEFAULT-VALUE}).")
        List<String> presets;

        @Option(names = "--dtype", split = ",", paramLabel = "fp32|bf16", defaultValue = "fp32,bf16", converter = DtypeList.class,
                description = "fp32 and/or bf16, comma-separated (default: ${DEFAULT-VALUE}).")
        List<ForwardDtype> dtypes;

        @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--steps", paramLabel = "N", defaultValue = "5", description = "Timed steps; 500 shows memory staying flat (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--device", paramLabel = "cpu|cuda", defaultValue = "cpu", description = "Compute device (default: ${DEFAULT-VALUE}).")
        String device;

        @Option(names = "--no-progress", description = "No per-step lines on stderr; only the table.")
        boolean noProgress;

        @Override
        public Integer call() {
            ComputeDevice dev = ComputeDevice.parse(device);
            Backend.init(Integer.getInteger("trm.threads", 0));
            PrintWriter out = spec.commandLine().getOut();
            List<ForwardBenchmark.Result> results = new ArrayList<>();
            for (String preset : presets) {
                for (ForwardDtype dtype : dtypes) {
                    results.add(ForwardBenchmark.run(preset, dtype, batch, warmup, steps, dev, progressLines(spec, noProgress)));
                }
            }
            out.printf("%-12s %-9s %6s %10s %9s %9s %8s %8s %8s %9s%n", "preset", "dtype", "batch", "ms/step",
                    "GFLOP/s", "matmul", "of mm", "RSS MB", "peak MB", "pointers");
            for (ForwardBenchmark.Result r : results) {
                out.printf("%-12s %-9s %6d %10.0f %9.1f %9.1f %7.0f%% %8d %8d %4d->%d%n", r.preset(), r.dtype(), r.batch(),
                        r.msPerStep(), r.gflops(), r.matmulGflops(), 100 * r.fractionOfMatmul(), r.rssEndMb(),
                        r.peakRssMb(), r.pointersAfterWarmup(), r.pointersEnd());
            }
            return 0;
        }
    }

    /** Where a benchmark's per-step lines go: stderr, flushed at once, or nowhere with --no-progress. */
    static java.util.function.Consumer<String> progressLines(CommandSpec spec, boolean noProgress) {
        PrintWriter err = spec.commandLine().getErr();
        return noProgress ? line -> {} : line -> {
            err.println(line);
            err.flush();
        };
    }

    /** "fp32,bf16" (any case, also float32/bfloat16) through the one dtype parser. */
    static final class DtypeList implements picocli.CommandLine.ITypeConverter<ForwardDtype> {
        @Override
        public ForwardDtype convert(String value) {
            return ForwardDtype.parse(value.strip(), "--dtype");
        }
    }
}
