package io.github.trm4j.eval;

import io.github.trm4j.data.ArcBuild;
import io.github.trm4j.data.ArcPair;
import io.github.trm4j.data.ArcSubset;
import io.github.trm4j.data.ArcTask;
import io.github.trm4j.data.DatasetMetadata;
import io.github.trm4j.data.DatasetWriter;
import io.github.trm4j.data.Grid;
import io.github.trm4j.data.NpyType;
import io.github.trm4j.data.SplitWriter;
import io.github.trm4j.model.Checkpoint;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.Safetensors;
import io.github.trm4j.model.TrmModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;

/** Tiny checkpoints and datasets for the evaluation tests (trm eval, alone and distributed). */
public final class EvalFixtures {
    private EvalFixtures() {}

    /** A freshly initialised model (seed 7) saved as a trm4j checkpoint; {@code haltBias} sets the q_halt bias. */
    public static Path checkpoint(Path file, ModelConfig config, Double haltBias) {
        try (PointerScope scope = new PointerScope()) {
            TrmModel m = TrmModel.initialise(config, 7, ComputeDevice.CPU);
            if (haltBias != null) {
                try (NoGradGuard g = new NoGradGuard()) {
                    m.state().get("q_head.bias").select(0, 0).fill_(new Scalar(haltBias));
                }
            }
            Safetensors.write(file, m.state(), Map.of(Checkpoint.CONFIG, config.toJson()), false);
        }
        return file;
    }

    /** One test split, one example per puzzle and per group, identifier 0, label 0 (PAD) ignored. */
    public static Path sudokuDataset(Path out, int[] inputs, int[] labels, int vocab, int seqLen) {
        int n = inputs.length / seqLen;
        try (DatasetWriter w = DatasetWriter.create(out, false)) {
            try (SplitWriter s = w.split("test", NpyType.UINT8, seqLen)) {
                for (int r = 0; r < n; r++) {
                    s.addExample(Arrays.copyOfRange(inputs, r * seqLen, (r + 1) * seqLen), Arrays.copyOfRange(labels, r * seqLen, (r + 1) * seqLen));
                    s.endPuzzle(0);
                    s.endGroup();
                }
            }
            w.writeMetadata("test", new DatasetMetadata(0, 0, 0, vocab, seqLen, 1, n, 1.0, n, List.of("all")));
            w.writeIdentifiers(List.of("<blank>"));
            w.commit();
        }
        return out;
    }

    /** Two tasks, three test inputs, {@code augmentations} augmented versions of each (test_puzzles.json for the votes). */
    public static ArcBuild.Result arcDataset(Path out, int augmentations) {
        Grid a = Grid.of(new int[][] {{1, 2}, {3, 4}});
        Grid b = Grid.of(new int[][] {{5, 6, 7}});
        ArcTask t1 = new ArcTask("aaa", List.of(new ArcPair(a, b), new ArcPair(b, a)), List.of(new ArcPair(a, a)));
        ArcTask t2 = new ArcTask("bbb", List.of(new ArcPair(b, b)), List.of(new ArcPair(a, b), new ArcPair(b, b)));
        return ArcBuild.build(List.of(new ArcSubset("synthetic", Path.of("synthetic.json"), List.of(t1, t2))), 0,
                new ArcBuild.Options(augmentations, 0, false, false), out);
    }

    /** A tiny MLP model for the ARC canvas (vocabulary 12, 900 cells) with the dataset's puzzle identifiers. */
    public static ModelConfig arcModel(int identifiers) {
        return new ModelConfig(32, 2, 2, 1, 1, 1, 2, 0.1, 32, 1, ModelConfig.PosEncoding.NONE, 10000, 1e-5,
                ModelConfig.Mixer.MLP, ModelConfig.ForwardDtype.FLOAT32, 12, 900, identifiers);
    }
}
