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
        subcommands = {BenchCommand.Forward.class, BenchTrainCommand.class, BenchThinkCommand.class})
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

        @Option(names = "--dtype", split = ",", paramLabel = "DTYPE", defaultValue = "FLOAT32,BFLOAT16",
                description = "FLOAT32 and/or BFLOAT16 (default: ${DEFAULT-VALUE}).")
        List<ForwardDtype> dtypes;

        @Option(names = "--batch", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--steps", defaultValue = "5", description = "Timed steps; 500 shows memory staying flat (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--warmup", defaultValue = "1", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda (default: ${DEFAULT-VALUE}).")
        String device;

        @Override
        public Integer call() {
            ComputeDevice dev = ComputeDevice.parse(device);
            Backend.init(Integer.getInteger("trm.threads", 0));
            PrintWriter out = spec.commandLine().getOut();
            List<ForwardBenchmark.Result> results = new ArrayList<>();
            for (String preset : presets) {
                for (ForwardDtype dtype : dtypes) {
                    results.add(ForwardBenchmark.run(preset, dtype, batch, warmup, steps, dev, line -> {
                        out.println(line);
                        out.flush();
                    }));
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
}
