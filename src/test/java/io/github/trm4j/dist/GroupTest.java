package io.github.trm4j.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import io.github.trm4j.model.Backend;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The c10d Gloo group from Java: collectives, agreement, rendezvous refusals. */
class GroupTest {
    @BeforeAll
    static void backend() {
        Backend.init(1);
    }

    @Test
    void collectivesAgreeAcrossTwoRanks() {
        List<float[]> got = Ranks.results(Ranks.run(2, (rank, g) -> {
            Tensor sum = Tensor.create(new float[] {rank + 1, 10 * (rank + 1)});
            g.allReduceSum(sum, "test");
            Tensor b = torch.ones(2).mul(new Scalar(rank + 5.0));
            g.broadcast(b, "test");
            Tensor all = g.allGather(Tensor.create(new float[] {rank, rank}), "test");
            Tensor flags = g.allGather(Tensor.create(new boolean[] {rank == 1}), "test");
            boolean any = g.any(rank == 1, "test");
            float[] out = new float[8];
            sum.data_ptr_float().get(out, 0, 2);
            b.contiguous().data_ptr_float().get(out, 2, 2);
            all.contiguous().data_ptr_float().get(out, 4, 4);
            assertEquals(2, flags.numel());
            assertTrue(flags.select(0, 1).item_bool() && !flags.select(0, 0).item_bool());
            assertTrue(any);
            return out;
        }));
        for (float[] o : got) assertArrayEquals(new float[] {3, 30, 5, 5, 0, 0, 1, 1}, o);
    }

    @Test
    void differingValuesAreRefusedOnEveryRank() {
        List<Future<Object>> f = Ranks.run(2, (rank, g) -> {
            g.agree("setup", rank == 0 ? "lr 0.001 batch 8" : "lr 0.002 batch 8");
            return null;
        });
        for (Future<Object> r : f) {
            ExecutionException e = assertThrows(ExecutionException.class, r::get);
            assertTrue(e.getCause() instanceof InputException, e.getCause().toString());
            assertTrue(e.getCause().getMessage().startsWith("ranks [1] differ from rank 0 in the setup (rank 0 has 'lr 0.001"),
                    e.getCause().getMessage());
        }
    }

    @Test
    void busyPortIsRefusedBeforeAnythingStarts() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            InputException e = assertThrows(InputException.class, () -> Group.join(
                    new DistEnv(0, 2, 0, 2, "127.0.0.1", busy.getLocalPort()), Group.Kind.GLOO, Duration.ofSeconds(5)));
            assertEquals("MASTER_PORT " + busy.getLocalPort() + ": the port is in use on this machine (another run?); choose another one",
                    e.getMessage());
        }
    }

    @Test
    void missingRankFailsTheRendezvousWithinTheTimeout() {
        long t0 = System.nanoTime();
        Group.Failure e = assertThrows(Group.Failure.class, () -> Group.join(
                new DistEnv(0, 2, 0, 2, "127.0.0.1", Ranks.freePort()), Group.Kind.GLOO, Duration.ofSeconds(2)));
        assertTrue(e.getMessage().startsWith("rank 0: rendezvous at 127.0.0.1:"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < 30);
    }

    @Test
    void environmentIsReadLikeTorchrun() {
        DistEnv e = DistEnv.fromEnvironment(Map.of("RANK", "1", "WORLD_SIZE", "4", "LOCAL_RANK", "1", "LOCAL_WORLD_SIZE", "2",
                "MASTER_ADDR", "10.0.0.1", "MASTER_PORT", "29500"));
        assertEquals(new DistEnv(1, 4, 1, 2, "10.0.0.1", 29500), e);
        assertEquals(4, e.threads(8));
        assertEquals(null, DistEnv.fromEnvironment(Map.of()));
        assertEquals("RANK: 4 is outside 0..3 (WORLD_SIZE 4)", assertThrows(InputException.class, () -> DistEnv.fromEnvironment(
                Map.of("RANK", "4", "WORLD_SIZE", "4", "MASTER_ADDR", "h", "MASTER_PORT", "1"))).getMessage());
        assertEquals("MASTER_PORT: not set (a distributed run needs RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT)",
                assertThrows(InputException.class, () -> DistEnv.fromEnvironment(
                        Map.of("RANK", "0", "WORLD_SIZE", "2", "MASTER_ADDR", "h"))).getMessage());
    }
}
