package io.github.trm4j.cli;

import io.github.trm4j.dist.DistEnv;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ModelConfig.ForwardDtype;
import io.github.trm4j.train.TrainBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm bench train}: ms per optimizer step and examples/s against the matmul rate and the PyTorch reference. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Time whole training steps; compare with the matmul rate and the PyTorch reference's step.")
final class BenchTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", split = ",", paramLabel = "NAME", defaultValue = "sudoku-mlp",
            description = "Presets to time (default: ${DEFAULT-VALUE}).")
    List<String> presets;

    @Option(names = "--dtype", split = ",", paramLabel = "fp32|bf16", defaultValue = "bf16,fp32", converter = BenchCommand.DtypeList.class,
            description = "bf16 and/or fp32, comma-separated (default: ${DEFAULT-VALUE}).")
    List<ForwardDtype> dtypes;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64", description = "Global batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "3", description = "Timed steps; 2000 on a small preset shows memory staying flat (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--no-progress", description = "No per-step lines on stderr; only the table.")
    boolean noProgress;

    @Option(names = "--reference", paramLabel = "BENCH_PY", defaultValue = "tools/reference/bench.py",
            description = "The PyTorch reference's bench.py, run with /usr/bin/python3 (default: ${DEFAULT-VALUE}).")
    Path reference;

    @Option(names = "--no-reference", description = "Do not run the PyTorch reference.")
    boolean noReference;

    @Option(names = "--device", paramLabel = "cpu|cuda", defaultValue = "cpu", description = "Compute device (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--nproc-per-node", paramLabel = "N",
            description = "Also time N Gloo ranks on this machine (cores/N threads each) at the same global batch; see docs/distributed.md.")
    Integer nprocPerNode;

    @Override
    public Integer call() {
        DistEnv env = DistEnv.fromEnvironment(System.getenv());
        if (env != null) return DistributedBench.worker(env, presets, dtypes, batch, warmup, steps, spec.commandLine().getOut());
        if (nprocPerNode != null) DistributedBench.launch(nprocPerNode, presets, dtypes, batch, warmup, steps, spec.commandLine());
        ComputeDevice dev = ComputeDevice.parse(device);
        Backend.init(Integer.getInteger("trm.threads", 0));
        PrintWriter out = spec.commandLine().getOut();
        Path ref = noReference || !Files.isRegularFile(reference) ? null : reference;
        if (ref == null && !noReference) spec.commandLine().getErr().println("(no " + reference + ": the PyTorch reference is not run)");
        List<TrainBenchmark.Result> results = new ArrayList<>();
        for (String preset : presets) {
            for (ForwardDtype dtype : dtypes) {
                results.add(TrainBenchmark.run(preset, dtype, batch, warmup, steps, dev, ref, BenchCommand.progressLines(spec, noProgress)));
            }
        }
        out.printf("%-16s %-9s %5s %9s %7s %8s %8s %6s %9s %6s %8s %8s %8s %11s%n", "preset", "dtype", "batch", "ms/step",
                "ex/s", "GFLOP/s", "matmul", "of mm", "torch ms", "ratio", "RSS0 MB", "RSS1 MB", "peak MB", "pointers");
        for (TrainBenchmark.Result r : results) {
            out.printf("%-16s %-9s %5d %9.0f %7.1f %8.1f %8.1f %5.0f%% %9.0f %6.2f %8d %8d %8d %5d->%d%n", r.preset(), r.dtype(),
                    r.batch(), r.msPerStep(), r.examplesPerSecond(), r.gflops(), r.matmulGflops(), 100 * r.gflops() / r.matmulGflops(),
                    r.referenceMsPerStep(), r.ratioToReference(), r.rssStartMb(), r.rssEndMb(), r.peakRssMb(),
                    r.pointersStart(), r.pointersEnd());
        }
        return 0;
    }
}
