package io.github.trm4j.train;

import io.github.trm4j.data.PuzzleDataset;
import io.github.trm4j.model.Backend;
import io.github.trm4j.model.TrmModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

public final class EvalProbe {
    public static void main(String[] a) {
        Backend.init(1);
        RunState.Saved s = RunState.read(Path.of(a[0]));
        for (String prefix : new String[] {"", "ema."}) {
            Map<String, Tensor> w = new LinkedHashMap<>();
            s.tensors().forEach((k, t) -> { if (!k.startsWith("ema.") && !k.startsWith("optim.") && !k.startsWith("carry.")) w.put(k, t); });
            if (!prefix.isEmpty()) s.tensors().forEach((k, t) -> { if (k.startsWith("ema.")) w.put(k.substring(4), t); });
            TrmModel m = TrmModel.fromState(s.model(), w, io.github.trm4j.model.ComputeDevice.CPU);
            for (String split : new String[] {"train", "test"}) {
                System.out.println(prefix + split + " " + Evaluation.run(m, PuzzleDataset.open(Path.of(a[1]), split), 200, 100, 0, false));
            }
        }
    }
}
