package io.github.trm4j.cli;

import io.github.trm4j.model.Backend;
import io.github.trm4j.model.Diagnostics;
import io.github.trm4j.model.Hardware;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trm doctor}: this machine and build, in lines to paste into a bug report. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Print what trm4j runs on: CPU and vector extensions, native bf16, threads, tcmalloc, libtorch and "
                + "trm4j versions, CUDA devices, the natives cache, the forward dtype auto picks, and a few seconds of fp32 "
                + "and bf16 matmul. Paste the output into a bug report."})
final class DoctorCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--no-measure", description = "Skip the matmul timings.")
    boolean noMeasure;

    @Override
    public Integer call() {
        Backend.init(Integer.getInteger("trm.threads", 0));
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> r = Diagnostics.report(Hardware.probe(), !noMeasure);
        int width = r.keySet().stream().mapToInt(String::length).max().orElse(0);
        r.forEach((k, v) -> out.printf("%-" + width + "s  %s%n", k, v));
        return 0;
    }
}
