package io.github.trm4j.model;

import java.util.Collection;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/** Loads model weights from a trm4j safetensors file or an official PyTorch checkpoint. */
public final class Checkpoint {
    private Checkpoint() {}

    /**
     * Gives the caller ownership of tensors made inside a reader's own {@link PointerScope}: one
     * extra reference survives that scope's close, and the tensors are attached to no other scope.
     */
    static void handOut(Collection<Tensor> tensors) {
        for (Tensor t : tensors) t.retainReference();
    }

    /** Frees tensors handed out by {@link #handOut}, at most once each. */
    static void release(Map<String, Tensor> tensors) {
        for (Tensor t : tensors.values()) if (!t.isNull()) t.close();
    }
}
