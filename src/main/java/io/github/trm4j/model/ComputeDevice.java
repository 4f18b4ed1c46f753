package io.github.trm4j.model;

import io.github.trm4j.InputException;
import java.util.Locale;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/**
 * Where tensors live: the single place that knows about devices. CPU is the default; CUDA needs the
 * {@code gpu} Maven profile (libtorch's CUDA build) and a GPU, and uses the same code.
 */
public enum ComputeDevice {
    CPU,
    CUDA;

    /** Parses {@code cpu} or {@code cuda} (the {@code --device} option). */
    public static ComputeDevice parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cpu" -> CPU;
            case "cuda" -> CUDA;
            default -> throw new InputException("--device: expected cpu or cuda, got '" + name + "'");
        };
    }

    /** The libtorch device; refuses CUDA when this build or machine has none. */
    public Device torch() {
        if (this == CUDA && !torch.cuda_is_available()) {
            throw new InputException("--device cuda: no CUDA device available (build with the gpu profile on a GPU machine)");
        }
        return new Device(name().toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
