package io.github.trm4j.cli;

import io.github.trm4j.InputException;
import io.github.trm4j.dist.DistEnv;
import io.github.trm4j.dist.Group;
import io.github.trm4j.dist.Launcher;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ModelConfig.ForwardDtype;
import io.github.trm4j.train.TrainBenchmark;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** The distributed half of {@code trm bench train --nproc-per-node N}: the launch and each worker's timing. */
final class DistributedBench {
    private DistributedBench() {}

    /** Starts N workers running the same benchmark; rank 0 prints one line per preset and dtype. */
    static void launch(int n, List<String> presets, List<ForwardDtype> dtypes, int batch, int warmup, int steps, CommandLine cli) {
        List<String> args = new ArrayList<>(List.of("bench", "train", "--preset", String.join(",", presets), "--batch",
                Integer.toString(batch), "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps), "--dtype"));
        args.add(String.join(",", dtypes.stream().map(Enum::name).toList()));
        int code = Launcher.run(n, args, Duration.ofMinutes(2), cli.getOut(), cli.getErr());
        if (code != 0) throw new InputException("bench train --nproc-per-node " + n + ": a worker failed with exit code " + code);
    }

    static int worker(DistEnv env, List<String> presets, List<ForwardDtype> dtypes, int batch, int warmup, int steps, PrintWriter out) {
        int cores = Integer.getInteger("trm.threads", Runtime.getRuntime().availableProcessors());
        Backend.init(env.threads(cores));
        try (Group g = Group.join(env, Group.Kind.GLOO, Duration.ofMinutes(10))) {
            for (String preset : presets) {
                for (ForwardDtype dtype : dtypes) {
                    TrainBenchmark.RankResult r = TrainBenchmark.runDistributed(preset, dtype, batch, warmup, steps, g);
                    if (g.rank() == 0) {
                        out.printf("%s %s batch %d on %d Gloo ranks x %d threads: %.0f ms/step, %.1f ex/s, communication %.1f%% of a step"
                                + " (rank 0), %.2f MB all-reduced per step%n", preset, dtype, batch, r.ranks(), env.threads(cores),
                                r.msPerStep(), r.examplesPerSecond(), 100 * r.communicationShare(), r.allReducedBytesPerStep() / 1e6);
                        out.flush();
                    }
                }
            }
            g.finish();
        }
        return 0;
    }
}
