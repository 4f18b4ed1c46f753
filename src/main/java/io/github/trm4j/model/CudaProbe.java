package io.github.trm4j.model;

import java.lang.reflect.Method;
import java.util.OptionalInt;
import org.bytedeco.pytorch.global.torch;

/**
 * The compute capability of CUDA device 0. The CUDA properties live in the presets' torch_cuda
 * class, which only the {@code gpu} build can load, so it is reached by reflection; on the CPU
 * build, or without a device, the answer is empty.
 */
final class CudaProbe {
    private CudaProbe() {}

    static OptionalInt capability() {
        try {
            Backend.load();
            if (!torch.cuda_is_available()) return OptionalInt.empty();
            Class<?> cuda = Class.forName("org.bytedeco.pytorch.global.torch_cuda");
            Object props = cuda.getMethod("getDeviceProperties", byte.class).invoke(null, (byte) 0);
            Method major = props.getClass().getMethod("major");
            Method minor = props.getClass().getMethod("minor");
            return OptionalInt.of((Integer) major.invoke(props) * 10 + (Integer) minor.invoke(props));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}
