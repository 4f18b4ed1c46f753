package io.github.trm4j.data;

/**
 * The eight symmetries of the square, numbered as the official builders number them (spec 6.4).
 * {@code apply} maps a grid to its transformed copy; {@link #inverse()} undoes it.
 */
public enum Dihedral {
    IDENTITY, ROT90, ROT180, ROT270, FLIP_LR, FLIP_UD, TRANSPOSE, ANTI_TRANSPOSE;

    private static final int[] INVERSE = {0, 3, 2, 1, 4, 5, 6, 7};

    /** The transform with the official id 0..7. */
    public static Dihedral ofId(int id) {
        if (id < 0 || id > 7) throw new IllegalArgumentException("dihedral id must be 0..7, got " + id);
        return values()[id];
    }

    public int id() {
        return ordinal();
    }

    public Dihedral inverse() {
        return values()[INVERSE[ordinal()]];
    }

    /** Whether the transform swaps height and width. */
    public boolean swapsAxes() {
        return this == ROT90 || this == ROT270 || this == TRANSPOSE || this == ANTI_TRANSPOSE;
    }

    public Grid apply(Grid g) {
        int h = g.height(), w = g.width();
        int oh = swapsAxes() ? w : h, ow = swapsAxes() ? h : w;
        byte[] out = new byte[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) out[i * ow + j] = (byte) source(g, i, j, h, w);
        }
        return Grid.of(oh, ow, out);
    }

    /** The input cell that lands on output cell (i, j); numpy semantics, e.g. rot90: out[i,j] = in[j, W-1-i]. */
    private int source(Grid g, int i, int j, int h, int w) {
        return switch (this) {
            case IDENTITY -> g.get(i, j);
            case ROT90 -> g.get(j, w - 1 - i);
            case ROT180 -> g.get(h - 1 - i, w - 1 - j);
            case ROT270 -> g.get(h - 1 - j, i);
            case FLIP_LR -> g.get(i, w - 1 - j);
            case FLIP_UD -> g.get(h - 1 - i, j);
            case TRANSPOSE -> g.get(j, i);
            case ANTI_TRANSPOSE -> g.get(h - 1 - j, w - 1 - i);
        };
    }
}
