package io.github.trm4j.train;

import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.TrmModel;
import java.util.SplittableRandom;

/** Manual probe: java ... StepTimeProbe threads batch steps */
public final class StepTimeProbe {
    public static void main(String[] a) {
        Backend.init(Integer.parseInt(a[0]));
        int b = Integer.parseInt(a[1]);
        ModelConfig c = ModelConfig.preset(a.length > 3 ? a[3] : "sudoku-mlp-tiny").withData(6, 16, 1);
        TrainStep step = new TrainStep(TrmModel.initialise(c, 1, ComputeDevice.CPU),
                new TrainConfig(b, b, 1e-3, 10, 1, 0.1, 0.9, 0.95, 1e-3, 0.1, true, 0.99, LossKind.STABLEMAX, 0), 100, new SplitMix(1));
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < Integer.parseInt(a[2]); i++) {
            HostBatch h = TrainStepTest.randomBatch(b, 16, r);
            int[] in = h.inputs();
            for (int k = 0; k < in.length; k++) in[k] = Math.min(in[k], 5);
            int[] lab = h.labels();
            for (int k = 0; k < lab.length; k++) if (lab[k] > 5) lab[k] = 5;
            long t = System.nanoTime();
            StepMetrics m = step.run(new HostBatch(b, 16, in, lab, new int[b]));
            System.out.printf("step %d %.1f ms%n", m.step(), (System.nanoTime() - t) / 1e6);
        }
    }
}
