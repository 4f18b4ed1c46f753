package io.github.trm4j.train;

import io.github.trm4j.model.Backend;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

public final class MatProbe {
    public static void main(String[] a) {
        Backend.init(1);
        for (int rep = 0; rep < 3; rep++) {
            try (PointerScope s = new PointerScope()) {
                Tensor x = torch.randn(64 * 18, 64);
                Tensor w = torch.randn(256, 64);
                long t = System.nanoTime();
                for (int i = 0; i < 100; i++) torch.linear(x, w);
                System.out.printf("100 linears %.1f ms%n", (System.nanoTime() - t) / 1e6);
                Tensor big = torch.randn(512, 512);
                t = System.nanoTime();
                for (int i = 0; i < 10; i++) torch.matmul(big, big);
                System.out.printf("10 matmul 512 %.1f ms%n", (System.nanoTime() - t) / 1e6);
            }
        }
    }
}
