package io.github.trm4j.model;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Helpers shared by the model tests: tiny models and Sudoku-shaped random batches. */
final class TinyModels {
    private TinyModels() {}

    static TrmModel model(String preset, long seed) {
        Backend.init();
        return TrmModel.initialise(ModelConfig.preset(preset), seed, ComputeDevice.CPU);
    }

    /** (b, 81) tokens in 1..10 drawn with torch's generator seeded by {@code seed}. */
    static Batch sudokuBatch(int b, long seed) {
        torch.manual_seed(seed);
        Tensor inputs = torch.randint(1, 11, new long[] {b, 81}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long));
        Tensor labels = torch.randint(1, 11, new long[] {b, 81}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long));
        return new Batch(inputs, labels, torch.zeros(b).to(torch.ScalarType.Long));
    }

    /** Gives the q head a bias that halts (positive) or not (negative) for every sequence. */
    static void setHaltBias(TrmModel model, double bias) {
        try (NoGradGuard g = new NoGradGuard()) {
            model.state().get("q_head.bias").select(0, 0).fill_(new Scalar(bias));
        }
    }

    /** Random non-zero puzzle rows and H_init/L_init kept, so the prefix matters in tests. */
    static void randomisePuzzleTable(TrmModel model, long seed) {
        try (NoGradGuard g = new NoGradGuard()) {
            torch.manual_seed(seed);
            Tensor table = model.state().get("puzzle_emb.weights");
            table.copy_(torch.randn(table.shape()));
        }
    }
}
