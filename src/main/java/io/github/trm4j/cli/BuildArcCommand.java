package io.github.trm4j.cli;

import io.github.trm4j.InputException;
import io.github.trm4j.data.ArcBuild;
import io.github.trm4j.data.ArcPreset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trm data build arc}: an ARC-AGI dataset with augmentations, in the official layout. */
@Command(name = "arc", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Build an ARC dataset in the official TRM layout (spec 6.4).",
            "Every task becomes a group: its original plus up to N distinct dihedral + colour-map",
            "versions. Train examples are translated on the 30x30 canvas.",
            "Demonstration pairs go to the train split; the test subset's test pairs go",
            "to the test split (other subsets' test pairs are trained on).",
            "PATH is a task folder (searched recursively; task id = file name) or a",
            "Kaggle *_challenges.json whose *_solutions.json lies beside it.",
            "Give either --preset with --root, or --input with --test-input.",
            ""},
        footer = {"", "Examples:",
            "  ./trm data build arc --preset arc1 --root ../shared/data/arc-kaggle \\",
            "      --out data/arc1concept-aug-1000",
            "  ./trm data build arc --input arc-agi-1/training concept-arc/corpus \\",
            "      --test-input arc-agi-1/evaluation --augment 100 --out data/arc1-aug-100"})
final class BuildArcCommand implements Callable<Integer> {
    @Option(names = "--preset", paramLabel = "arc1|arc2", converter = PresetConverter.class,
            description = "The official build: arc1 = training + evaluation + concept, tested on evaluation; "
                    + "arc2 = training2 + evaluation2 + concept, tested on evaluation2.")
    ArcPreset preset;

    @Option(names = "--root", paramLabel = "DIR",
            description = "With --preset: folder holding arc-agi_<subset>_challenges.json and _solutions.json (like the TRM repo's kaggle/combined).")
    Path root;

    @Option(names = "--input", arity = "1..*", paramLabel = "PATH",
            description = "Training subsets, in order (repeatable). Their demonstration and test pairs all go to the train split.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--test-input", paramLabel = "PATH",
            description = "The test subset: its demonstrations go to train, its test pairs to test. Comes last unless also given in --input.")
    Path testInput;

    @Option(names = "--augment", paramLabel = "N", defaultValue = "1000",
            description = "Augmented versions per task besides the original (fewer when a task has fewer distinct ones; up to 5N draws). Default: ${DEFAULT-VALUE}.")
    int augment;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder (built beside it and renamed at the end).")
    Path out;

    @Option(names = "--force", description = "Replace a non-empty --out.")
    boolean force;

    @Option(names = "--no-progress", description = "Hide the progress bar (stderr).")
    boolean noProgress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<Path> sources;
        Path test;
        if (preset != null) {
            if (!inputs.isEmpty() || testInput != null) throw new InputException("--preset replaces --input and --test-input; give one or the other");
            if (root == null) throw new InputException("--preset needs --root DIR, a folder with the arc-agi_<subset>_challenges.json files");
            sources = preset.inputs(root);
            test = preset.testInput(root);
        } else {
            if (root != null) throw new InputException("--root is only used with --preset");
            if (testInput == null) throw new InputException("missing --test-input PATH (or use --preset arc1|arc2 --root DIR)");
            sources = inputs;
            test = testInput;
        }
        ArcBuild.Result result = ArcBuild.run(sources, test, new ArcBuild.Options(augment, seed, force, !noProgress), out);
        spec.commandLine().getErr().println(result.report());
        return 0;
    }

    static final class PresetConverter implements CommandLine.ITypeConverter<ArcPreset> {
        @Override
        public ArcPreset convert(String value) {
            try {
                return ArcPreset.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected arc1 or arc2, got '" + value + "'");
            }
        }
    }
}
