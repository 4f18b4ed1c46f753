package io.github.trm4j.train;

import io.github.trm4j.data.PuzzleDataset;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.TrmModel;
import java.nio.file.Path;

/**
 * The writer that {@link CheckpointCrashTest} kills: writes the run files of a model with a large
 * puzzle table (hundreds of MB, so the write takes a while) into an existing run folder.
 */
public final class KilledWriterChild {
    public static void main(String[] a) {
        Backend.init(1);
        Path run = Path.of(a[0]);
        PuzzleDataset data = PuzzleDataset.open(Path.of(a[1]), "train");
        ModelConfig c = ModelConfig.preset("sudoku-att-tiny").withData(5, 6, 1_500_000);
        TrmModel model = TrmModel.initialise(c, 3, ComputeDevice.CPU);
        TrainStep step = new TrainStep(model, TrainStepTest.recipe(6, 6), 10, new SplitMix(1));
        System.out.println("writing");
        System.out.flush();
        RunState.write(run, step, TrainingSampler.start(data, 6, 1), new SplitMix(1), 10, "child", RunState.Intervals.DEFAULT);
        System.out.println("done");
    }
}
