package io.github.trm4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class BackendTest {
    @Test
    void libtorchLoadsAndMultiplies() {
        Backend.init();
        try (PointerScope scope = new PointerScope()) {
            Tensor a = torch.ones(2, 3);
            Tensor b = torch.ones(3, 4);
            Tensor c = torch.matmul(a, b);
            assertArrayEquals(new long[] {2, 4}, c.shape());
            assertEquals(24.0f, c.sum().item_float(), 0f);
        }
    }
}
