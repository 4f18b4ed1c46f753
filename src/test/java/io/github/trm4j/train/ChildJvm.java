package io.github.trm4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A second JVM on the test classpath, with the settings libtorch needs, for tests that kill or signal a process. */
public final class ChildJvm {
    private ChildJvm() {}

    /** Starts {@code mainClass} with {@code args} in {@code dir}, stdout and stderr to {@code log}. */
    public static Process start(Path dir, Path log, String mainClass, String... args) throws java.io.IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        cmd.add("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0");
        cmd.add("-Dtrm.threads=1");
        Optional.ofNullable(System.getProperty("org.bytedeco.javacpp.cachedir"))
                .ifPresent(d -> cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + d));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
