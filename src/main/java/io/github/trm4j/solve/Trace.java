package io.github.trm4j.solve;

import io.github.trm4j.AtomicOutput;
import io.github.trm4j.InputException;
import io.github.trm4j.Progress;
import io.github.trm4j.data.Npy;
import io.github.trm4j.data.NpyType;
import io.github.trm4j.data.NpyWriter;
import io.github.trm4j.model.Batch;
import io.github.trm4j.model.ComputeDevice;
import io.github.trm4j.model.DtypeChoice;
import io.github.trm4j.model.Ops;
import io.github.trm4j.model.Supervision;
import io.github.trm4j.model.TrmModel;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * {@code trm trace}: evaluation-mode supervision steps from a fresh carry, with every step's logits,
 * Q logits and predictions written as {@code .npy} files (the reasoning, step by step).
 */
public final class Trace {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Largest batch and sequence length {@code --inputs} may have (the traced logits grow with their product). */
    static final int MAX_DIMENSION = 1 << 16;

    private Trace() {}

    /** What to trace; {@code steps} null means the model's N_sup, {@code puzzleIds} null means all zeros. */
    public record Request(Path checkpoint, Path officialConfig, Path inputs, Path puzzleIds, Integer steps,
                          boolean adaptive, DtypeChoice dtype, ComputeDevice device, Path out, boolean force) {}

    /** What was written: steps actually run (adaptive may stop early), batch and sequence sizes. */
    public record Result(Path out, int steps, int batch, int seqLen, int vocab) {}

    public static Result run(Request r) {
        return run(r, (task, total) -> Progress.off());
    }

    /** As {@link #run(Request)}, with progress by supervision step ({@code progress} gets the task name and the step count). */
    public static Result run(Request r, java.util.function.BiFunction<String, Long, Progress> progress) {
        Npy.Header in = Npy.header(r.inputs());
        if (in.shape().length != 2) throw new InputException(r.inputs() + ": expected a [B, S] integer array, got shape " + java.util.Arrays.toString(in.shape()));
        for (int d = 0; d < 2; d++) {
            long n = in.shape()[d];
            if (n < 1 || n > MAX_DIMENSION)
                throw new InputException(r.inputs() + ": shape " + java.util.Arrays.toString(in.shape()) + " has " + (d == 0 ? "batch " : "sequence length ")
                        + n + "; expected 1 to " + MAX_DIMENSION);
        }
        int b = (int) in.shape()[0], s = (int) in.shape()[1];
        int[] tokens = Npy.readInts(r.inputs());
        int[] ids = r.puzzleIds() == null ? new int[b] : Npy.readInts(r.puzzleIds());
        if (ids.length != b) throw new InputException(r.puzzleIds() + ": " + ids.length + " puzzle ids for a batch of " + b);

        Path tmp = AtomicOutput.beginDirectory(r.out(), "trace", r.force());
        try (PointerScope scope = new PointerScope()) {
            ModelLoader.Loaded loaded = ModelLoader.load(r.checkpoint(), r.officialConfig(), OptionalInt.of(s), r.dtype(), r.device());
            TrmModel model = loaded.model();
            int v = model.config().vocabSize();
            int steps = r.steps() == null ? model.config().supervisionSteps() : r.steps();
            Supervision sup = r.adaptive() ? model.adaptive(steps) : model.evaluation(steps);
            Batch batch = new Batch(Tensor.create(tokens, b, s).to(ScalarType.Long), null, Tensor.create(ids, b).to(ScalarType.Long));
            int[] ran = new int[1];
            try (Progress bar = progress.apply("trace", (long) steps);
                 NpyWriter logits = NpyWriter.create(tmp.resolve("logits.npy"), NpyType.FLOAT32, b, s, v);
                 NpyWriter qHalt = NpyWriter.create(tmp.resolve("q_halt.npy"), NpyType.FLOAT32, b);
                 NpyWriter qContinue = NpyWriter.create(tmp.resolve("q_continue.npy"), NpyType.FLOAT32, b);
                 NpyWriter preds = NpyWriter.create(tmp.resolve("preds.npy"), NpyType.INT32, b, s)) {
                sup.run(batch, step -> {
                    logits.appendFloats(Ops.toFloats(step.logits()));
                    qHalt.appendFloats(Ops.toFloats(step.qHalt()));
                    qContinue.appendFloats(Ops.toFloats(step.qContinue()));
                    float[] p = Ops.toFloats(step.logits().argmax(new LongOptional(-1), false));
                    int[] pi = new int[p.length];
                    for (int i = 0; i < p.length; i++) pi[i] = (int) p[i];
                    preds.appendInts(pi);
                    ran[0]++;
                    bar.stepTo(ran[0]);
                });
            }
            writeInfo(tmp.resolve("trace.json"), r, loaded, ran[0]);
            AtomicOutput.commitDirectory(tmp, r.out());
            return new Result(r.out(), ran[0], b, s, v);
        } catch (RuntimeException e) {
            AtomicOutput.abandon(tmp);
            throw e;
        }
    }

    /** trace.json: what produced the arrays (checkpoint by file name, dtype and why, steps run). */
    private static void writeInfo(Path file, Request r, ModelLoader.Loaded loaded, int steps) {
        ObjectNode o = JSON.createObjectNode();
        o.put("checkpoint", r.checkpoint().getFileName().toString());
        o.put("steps", steps);
        o.put("adaptive", r.adaptive());
        o.put("dtype", loaded.dtype().label());
        o.put("dtype_reason", loaded.dtype().reason());
        o.put("device", r.device().toString());
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), o);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
