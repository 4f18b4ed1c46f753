package io.github.trm4j.cli;

import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import io.github.trm4j.model.Hardware;
import io.github.trm4j.solve.SolveBenchmark;
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

/** {@code trm bench solve}: single-puzzle latency and batch throughput against the PyTorch reference. */
@Command(name = "solve", mixinStandardHelpOptions = true,
        description = {"Time the shipped model (or --checkpoint) solving Sudokus: batch 1 is the latency of one full solve "
                + "through the Solver (trm solve, the demo, the web page), larger batches are puzzles/s through the evaluation "
                + "path. The PyTorch reference does the same work in the same run, rounds alternating; the table gives the ratios."})
final class BenchSolveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "A trm4j .safetensors Sudoku model (default: the shipped one).")
    Path checkpoint;

    @Option(names = "--dtype", split = ",", paramLabel = "DTYPE", description = "fp32 and/or bf16 (default: fp32, and bf16 "
            + "where this machine computes it natively).")
    List<String> dtypes;

    @Option(names = "--batch-size", split = ",", defaultValue = "1,256", paramLabel = "B", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--repeat", defaultValue = "5", paramLabel = "N", description = "Timed solves per round (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N", description = "Alternations of trm4j and the reference; "
            + "the best round of each counts (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--reference", paramLabel = "PY", defaultValue = "tools/reference/bench_solve.py",
            description = "The PyTorch reference's bench_solve.py, run with /usr/bin/python3 (default: ${DEFAULT-VALUE}).")
    Path reference;

    @Option(names = "--no-reference", description = "Do not run the PyTorch reference.")
    boolean noReference;

    @Override
    public Integer call() {
        if (repeat < 1) throw new io.github.trm4j.InputException("--repeat: must be at least 1, got " + repeat);
        if (rounds < 1) throw new io.github.trm4j.InputException("--rounds: must be at least 1, got " + rounds);
        for (int b : batches) if (b < 1) throw new io.github.trm4j.InputException("--batch-size: must be at least 1, got " + b);
        Backend.init(Integer.getInteger("trm.threads", 0));
        PrintWriter out = spec.commandLine().getOut();
        List<DtypeChoice> chosen = new ArrayList<>();
        if (dtypes == null) {
            chosen.add(DtypeChoice.resolve("fp32", ComputeDevice.CPU));
            if (DtypeChoice.nativeBf16(ComputeDevice.CPU, Hardware.probe())) chosen.add(DtypeChoice.resolve("bf16", ComputeDevice.CPU));
        } else {
            for (String d : dtypes) chosen.add(DtypeChoice.resolve(d, ComputeDevice.CPU));
        }
        Path ref = noReference || !Files.isRegularFile(reference) ? null : reference;
        if (ref == null && !noReference) out.println("(no " + reference + ": the PyTorch reference is not run)");
        out.println("cpu: " + Hardware.probe().cpuModel() + " (" + Hardware.probe().cpuVectorLabel() + "), threads "
                + org.bytedeco.pytorch.global.torch.get_num_threads());
        List<SolveBenchmark.Result> results = SolveBenchmark.run(
                new SolveBenchmark.Request(checkpoint, chosen, batches, repeat, rounds, ref), line -> {
                    out.println(line);
                    out.flush();
                });
        out.printf("%-5s %6s %11s %11s %8s %10s %10s %8s %8s %8s %6s%n", "dtype", "batch", "trm4j ms", "torch ms", "latency",
                "trm4j p/s", "torch p/s", "thruput", "GFLOP/s", "matmul", "of mm");
        for (SolveBenchmark.Result r : results) {
            out.printf("%-5s %6d %11.1f %11.1f %7.2fx %10.1f %10.1f %7.2fx %8.1f %8.1f %5.0f%%%n", r.dtype(), r.batch(), r.ms(),
                    r.torchMs(), r.latencyRatio(), r.puzzlesPerSecond(), r.torchPuzzlesPerSecond(), r.throughputRatio(), r.gflops(),
                    r.matmulGflops(), 100 * r.gflops() / r.matmulGflops());
        }
        out.println("latency = trm4j time / torch time (below 1 is faster); thruput = trm4j puzzles/s / torch puzzles/s (above 1 is faster)");
        return 0;
    }
}
