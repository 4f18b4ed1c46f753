package io.github.trm4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one measurement of the PyTorch reference ({@code tools/reference/*.py} under Debian's
 * {@code /usr/bin/python3}) for a benchmark that compares in the same run. The script prints JSON
 * lines; the last one is the result. Benchmarks only: the product and its tests never need Python.
 */
public final class ReferenceRun {
    /** The interpreter with Debian's python3-torch. */
    public static final String PYTHON = "/usr/bin/python3";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceRun() {}

    /** The script's last JSON line, or empty (said on {@code log}) when it could not run or failed. */
    public static Optional<JsonNode> run(List<String> scriptAndArgs, Consumer<String> log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(PYTHON);
        cmd.addAll(scriptAndArgs);
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
                log.accept("  reference failed: " + out.strip());
                return Optional.empty();
            }
            String last = out.strip().lines().reduce((x, y) -> y).orElse("{}");
            log.accept("  reference: " + last);
            return Optional.of(JSON.readTree(last));
        } catch (IOException e) {
            log.accept("  reference not run: " + e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
