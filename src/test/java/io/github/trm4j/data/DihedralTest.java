package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DihedralTest {
    private static final Grid G = Grid.of(new int[][] {{1, 2, 3}, {4, 5, 6}});

    @Test
    void matchesNumpyConventions() {
        assertEquals(Grid.of(new int[][] {{3, 6}, {2, 5}, {1, 4}}), Dihedral.ROT90.apply(G), "np.rot90 k=1");
        assertEquals(Grid.of(new int[][] {{6, 5, 4}, {3, 2, 1}}), Dihedral.ROT180.apply(G));
        assertEquals(Grid.of(new int[][] {{4, 1}, {5, 2}, {6, 3}}), Dihedral.ROT270.apply(G));
        assertEquals(Grid.of(new int[][] {{3, 2, 1}, {6, 5, 4}}), Dihedral.FLIP_LR.apply(G));
        assertEquals(Grid.of(new int[][] {{4, 5, 6}, {1, 2, 3}}), Dihedral.FLIP_UD.apply(G));
        assertEquals(Grid.of(new int[][] {{1, 4}, {2, 5}, {3, 6}}), Dihedral.TRANSPOSE.apply(G));
        assertEquals(Grid.of(new int[][] {{6, 3}, {5, 2}, {4, 1}}), Dihedral.ANTI_TRANSPOSE.apply(G), "np.fliplr(np.rot90(g))");
    }

    @Test
    void inverseUndoesEveryTransform() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            int h = 1 + rnd.nextInt(30), w = 1 + rnd.nextInt(30);
            byte[] cells = new byte[h * w];
            for (int i = 0; i < cells.length; i++) cells[i] = (byte) rnd.nextInt(10);
            Grid g = Grid.of(h, w, cells);
            for (Dihedral t : Dihedral.values()) assertEquals(g, t.inverse().apply(t.apply(g)), t.name());
        }
    }
}
