package io.github.trm4j.cli;

import io.github.trm4j.InputException;
import io.github.trm4j.model.Noise;
import io.github.trm4j.solve.Thinking;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options of thinking harder at test time, shared by {@code trm solve} and {@code trm eval} (docs/eval.md). */
final class ThinkingOptions {
    @Option(names = "--trajectories", defaultValue = "1", paramLabel = "K",
            description = "Run K trajectories per puzzle, all but the first with noise on the latent state (default: ${DEFAULT-VALUE}).")
    int trajectories;

    @Option(names = "--noise", paramLabel = "SIGMA", description = "σ of the trajectories' Gaussian noise (default: " + Thinking.DEFAULT_NOISE + ").")
    Double noise;

    @Option(names = "--noise-on", defaultValue = "z", paramLabel = "z|y|both", description = "State that gets the noise (default: ${DEFAULT-VALUE}).")
    String noiseOn;

    @Option(names = "--noise-steps", defaultValue = "all", paramLabel = "all|N|FIRST-LAST",
            description = "Supervision steps whose deep recursions get noise (default: ${DEFAULT-VALUE}).")
    String noiseSteps;

    @Option(names = "--augment", defaultValue = "1", paramLabel = "K",
            description = "Also run K symmetric copies (Sudoku: relabelling, transposition, band and row permutations; maze: 8 dihedral maps), "
                    + "answers mapped back (default: ${DEFAULT-VALUE}).")
    int augment;

    @Option(names = "--select", defaultValue = "q", paramLabel = "q|vote|rules",
            description = "Pick the answer by the highest q_halt (q), the most frequent answer (vote), or the first that passes the "
                    + "puzzle's rule check (rules, else q) (default: ${DEFAULT-VALUE}).")
    String select;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the noise and of the Sudoku symmetries (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The options as a value; a bad one is an InputException naming its flag. */
    Thinking toThinking() {
        try {
            int[] steps = Thinking.parseNoiseSteps(noiseSteps, "noise-steps");
            return new Thinking(trajectories, noise == null ? Thinking.DEFAULT_NOISE : noise, target(noiseOn), steps[0], steps[1], augment,
                    Thinking.Select.parse(select, "select"), seed);
        } catch (InputException e) {
            throw new InputException("--" + e.getMessage());
        }
    }

    static Noise.Target target(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "z" -> Noise.Target.Z;
            case "y" -> Noise.Target.Y;
            case "both" -> Noise.Target.BOTH;
            default -> throw new InputException("noise-on: expected z, y or both, got '" + s + "'");
        };
    }
}
