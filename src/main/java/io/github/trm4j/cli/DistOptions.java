package io.github.trm4j.cli;

import io.github.trm4j.InputException;
import io.github.trm4j.dist.DistEnv;
import io.github.trm4j.dist.Group;
import io.github.trm4j.dist.Launcher;
import io.github.trm4j.model.Backend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options of a command that runs as one rank of a group, shared by {@code trm train} and {@code trm eval} (docs/distributed.md). */
final class DistOptions {
    @Option(names = "--nproc-per-node", paramLabel = "N",
            description = "Start N worker processes on this machine (like torchrun --standalone); see docs/distributed.md.")
    Integer nprocPerNode;

    @Option(names = "--dist-backend", paramLabel = "gloo|nccl",
            description = "c10d backend of a distributed run (default: nccl with --device cuda, else gloo).")
    String distBackend;

    @Option(names = "--dist-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "A rank that does not answer within this time ends the run on every rank (default ${DEFAULT-VALUE}).")
    long distTimeout;

    /**
     * With {@code --nproc-per-node}, starts the workers of {@code command} and returns the exit code
     * of the launch; otherwise null (this process is the run itself, or one rank of it).
     */
    Integer launch(CommandSpec spec, String command, DistEnv env) {
        if (distTimeout < 1) throw new InputException("--dist-timeout: must be at least 1 second, got " + distTimeout);
        if (nprocPerNode == null) return null;
        if (env != null) throw new InputException("--nproc-per-node: this process is already rank " + env.rank()
                + " of a group (RANK is set); launch with one or the other");
        return Launcher.run(nprocPerNode, workerArgs(spec, command), Duration.ofSeconds(distTimeout + 15), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    /**
     * Loads libtorch with this process's threads: {@code -Dtrm.threads} (the launcher's TRM_THREADS),
     * else every core, and a rank of {@code env} its share of them.
     */
    static void initBackend(DistEnv env) {
        int cores = Integer.getInteger("trm.threads", Runtime.getRuntime().availableProcessors());
        Backend.init(env != null ? env.threads(cores) : cores);
    }

    /** Joins the group of {@code env} (null: alone, also for a world of one). */
    Group join(DistEnv env, String device) {
        return env == null || env.worldSize() == 1 ? null : Group.join(env, backend(device), Duration.ofSeconds(distTimeout));
    }

    private Group.Kind backend(String device) {
        if (distBackend == null) return "cuda".equals(device) ? Group.Kind.NCCL : Group.Kind.GLOO;
        return switch (distBackend) {
            case "gloo" -> Group.Kind.GLOO;
            case "nccl" -> Group.Kind.NCCL;
            default -> throw new InputException("--dist-backend: '" + distBackend + "' is not gloo or nccl");
        };
    }

    /** This command line for the workers: without --nproc-per-node, and without progress bars. */
    private static List<String> workerArgs(CommandSpec spec, String command) {
        List<String> given = spec.commandLine().getParseResult().originalArgs();
        List<String> out = new ArrayList<>(List.of(command));
        for (int i = given.indexOf(command) + 1; i < given.size(); i++) {
            String a = given.get(i);
            if (a.equals("--nproc-per-node")) i++;
            else if (!a.startsWith("--nproc-per-node=")) out.add(a);
        }
        if (!out.contains("--no-progress")) out.add("--no-progress");
        return out;
    }
}
