package io.github.trm4j.train;

import io.github.trm4j.model.Backend;
import io.github.trm4j.model.Batch;
import io.github.trm4j.model.Carry;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.ModelConfig;
import io.github.trm4j.model.StepOutput;
import io.github.trm4j.model.Supervision;
import io.github.trm4j.model.TrmModel;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;

public final class PhaseProbe {
    public static void main(String[] a) {
        Backend.init(1);
        ModelConfig c = ModelConfig.preset("sudoku-mlp-tiny").withData(6, 16, 1);
        TrmModel model = TrmModel.initialise(c, 1, ComputeDevice.CPU);
        Supervision act = model.training(new SplitMix(1));
        SplittableRandom r = new SplittableRandom(1);
        HostBatch h0 = TrainStepTest.randomBatch(64, 16, r); HostBatch h = new HostBatch(64, 16, h0.inputs(), h0.labels(), new int[64]);
        for (int i = 0; i < 5; i++) {
            try (PointerScope s = new PointerScope()) {
                Batch b = TrainStepTest.toBatch(h);
                long t0 = System.nanoTime();
                Carry carry = act.initialCarry(b);
                long t1 = System.nanoTime();
                StepOutput out = act.step(carry, b);
                long t2 = System.nanoTime();
                Losses.Result loss = Losses.compute(LossKind.STABLEMAX, out.logits(), out.carry().data().labels(), out.qHalt());
                long t3 = System.nanoTime();
                loss.total().mul(new Scalar(1.0 / 64)).backward();
                long t4 = System.nanoTime();
                out.carry().close();
                System.out.printf("init %.1f step %.1f loss %.1f backward %.1f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6);
            }
        }
    }
}
