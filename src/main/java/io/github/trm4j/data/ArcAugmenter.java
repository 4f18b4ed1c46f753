package io.github.trm4j.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Draws the augmented versions of one ARC task (spec 6.4): version 0 is the original; then up to
 * 5·N trials, each a uniform dihedral transform and a uniform colour map with 0 fixed, keeping a
 * version only when its version hash is new, until N + 1 versions are kept. Tasks with few colours
 * or symmetric grids have fewer distinct versions and stay "not full".
 *
 * <p>Hashes as the official builder computes them: grid hash = SHA-256 (hex) of (height byte, width
 * byte, row-major cells); version hash = SHA-256 (hex) of the '|'-joined sorted list of
 * "inputhash|outputhash" over all pairs of the version (demonstrations and tests).
 *
 * <p>Two shortcuts keep this cheap without changing the outcome: a trial whose transform and colour
 * map agree with an earlier trial on every colour the task uses gives the same grids, so it is
 * rejected without hashing; and trial grids are hashed straight from a scratch buffer, built only
 * for kept versions.
 */
final class ArcAugmenter {
    /** Trials per wanted augmentation. */
    static final int RETRIES = 5;
    private static final HexFormat HEX = HexFormat.of();

    /** A kept version: the augmentation and the task it produced. */
    record Version(ArcAugmentation augmentation, ArcTask task) {}

    private final MessageDigest sha;
    private final byte[] scratch = new byte[ArcCanvas.SEQ_LEN];
    private final byte[] hexLine = new byte[64];

    ArcAugmenter() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /** The original followed by up to {@code augmentations} distinct augmented versions, in draw order. */
    List<Version> versions(ArcTask task, int augmentations, SplittableRandom rng) {
        List<Version> kept = new ArrayList<>();
        kept.add(new Version(ArcAugmentation.IDENTITY, task));
        if (augmentations == 0) return kept;
        Layout layout = new Layout(task);
        Set<String> seen = new HashSet<>();
        Set<Long> tried = new HashSet<>();
        tried.add(layout.key(ArcAugmentation.IDENTITY));
        seen.add(versionHash(layout, ArcAugmentation.IDENTITY));
        long trials = (long) RETRIES * augmentations;
        for (long trial = 0; trial < trials && kept.size() <= augmentations; trial++) {
            ArcAugmentation a = random(rng);
            if (!tried.add(layout.key(a))) continue;
            if (seen.add(versionHash(layout, a))) kept.add(new Version(a, layout.apply(a)));
        }
        return kept;
    }

    /** A uniform dihedral transform and a uniform permutation of colours 1..9. */
    static ArcAugmentation random(SplittableRandom rng) {
        Dihedral t = Dihedral.ofId(rng.nextInt(8));
        int[] colours = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        for (int i = 9; i > 1; i--) {
            int j = 1 + rng.nextInt(i);
            int tmp = colours[i];
            colours[i] = colours[j];
            colours[j] = tmp;
        }
        return new ArcAugmentation(t, colours);
    }

    /** The version hash of a task, straight from the definition (the reference for the fast path). */
    String versionHash(ArcTask task) {
        List<String> pairs = new ArrayList<>();
        for (ArcPair p : task.pairs()) pairs.add(gridHash(p.input()) + "|" + gridHash(p.output()));
        pairs.sort(null);
        return HEX.formatHex(sha.digest(String.join("|", pairs).getBytes(StandardCharsets.US_ASCII)));
    }

    String gridHash(Grid g) {
        sha.update((byte) g.height());
        sha.update((byte) g.width());
        sha.update(g.cells());
        return HEX.formatHex(sha.digest());
    }

    /** The version hash of {@code a} applied to the task, without building its grids. */
    String versionHash(Layout layout, ArcAugmentation a) {
        int[] colours = a.colours();
        int t = a.transform().id();
        int pairs = layout.cells.length / 2;
        // per pair: input digest (32 bytes) then output digest; sorting these 64-byte keys unsigned
        // orders them as the hex strings "in|out" sort
        byte[][] keys = new byte[pairs][64];
        for (int k = 0; k < 2 * pairs; k++) {
            byte[] cells = layout.cells[k];
            int[] source = layout.sources[k][t];
            for (int i = 0; i < source.length; i++) scratch[i] = (byte) colours[cells[source[i]]];
            boolean swap = a.transform().swapsAxes();
            sha.update((byte) (swap ? layout.widths[k] : layout.heights[k]));
            sha.update((byte) (swap ? layout.heights[k] : layout.widths[k]));
            sha.update(scratch, 0, source.length);
            byte[] digest = sha.digest();
            System.arraycopy(digest, 0, keys[k / 2], (k % 2) * 32, 32);
        }
        Arrays.sort(keys, Arrays::compareUnsigned);
        for (int p = 0; p < pairs; p++) {
            if (p > 0) sha.update((byte) '|');
            hex(keys[p], 0);
            sha.update(hexLine);
            sha.update((byte) '|');
            hex(keys[p], 32);
            sha.update(hexLine);
        }
        return HEX.formatHex(sha.digest());
    }

    private void hex(byte[] digest, int from) {
        for (int i = 0; i < 32; i++) {
            int b = digest[from + i] & 0xFF;
            hexLine[2 * i] = (byte) Character.forDigit(b >>> 4, 16);
            hexLine[2 * i + 1] = (byte) Character.forDigit(b & 0xF, 16);
        }
    }

    /**
     * A task's grids flattened (input, output, input, output, ...) with, for every dihedral
     * transform, the source cell of each output cell, found by transforming row and column index
     * grids with {@link Dihedral#apply}.
     */
    static final class Layout {
        private final ArcTask task;
        final byte[][] cells;
        final int[] heights;
        final int[] widths;
        final int[][][] sources;
        /** Colours 1..9 that occur in the task, ascending. */
        final int[] used;

        Layout(ArcTask task) {
            this.task = task;
            List<Grid> grids = new ArrayList<>();
            for (ArcPair p : task.pairs()) {
                grids.add(p.input());
                grids.add(p.output());
            }
            int n = grids.size();
            cells = new byte[n][];
            heights = new int[n];
            widths = new int[n];
            sources = new int[n][8][];
            boolean[] present = new boolean[10];
            for (int k = 0; k < n; k++) {
                Grid g = grids.get(k);
                cells[k] = g.cells();
                heights[k] = g.height();
                widths[k] = g.width();
                for (byte v : cells[k]) present[v] = true;
                for (Dihedral t : Dihedral.values()) sources[k][t.id()] = sourceIndices(g.height(), g.width(), t);
            }
            used = IntStream.rangeClosed(1, 9).filter(c -> present[c]).toArray();
        }

        /** The task with {@code a} applied: equals {@code a.apply(task)}, built from the index tables. */
        ArcTask apply(ArcAugmentation a) {
            int[] colours = a.colours();
            int t = a.transform().id();
            boolean swap = a.transform().swapsAxes();
            List<ArcPair> pairs = new ArrayList<>(cells.length / 2);
            for (int k = 0; k < cells.length; k += 2) pairs.add(new ArcPair(grid(k, t, swap, colours), grid(k + 1, t, swap, colours)));
            int demos = task.train().size();
            return new ArcTask(task.id(), pairs.subList(0, demos), pairs.subList(demos, pairs.size()));
        }

        private Grid grid(int k, int t, boolean swap, int[] colours) {
            int[] source = sources[k][t];
            byte[] out = new byte[source.length];
            for (int i = 0; i < out.length; i++) out[i] = (byte) colours[cells[k][source[i]]];
            return Grid.of(swap ? widths[k] : heights[k], swap ? heights[k] : widths[k], out);
        }

        /** Equal keys give equal grids: the transform and the new colours of the used colours. */
        long key(ArcAugmentation a) {
            int[] colours = a.colours();
            long key = a.transform().id();
            for (int c : used) key = key * 16 + colours[c];
            return key;
        }

        private static int[] sourceIndices(int h, int w, Dihedral t) {
            byte[] rows = new byte[h * w], cols = new byte[h * w];
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    rows[r * w + c] = (byte) r;
                    cols[r * w + c] = (byte) c;
                }
            }
            int[] r = t.apply(Grid.of(h, w, rows)).toIntArray(), c = t.apply(Grid.of(h, w, cols)).toIntArray();
            int[] source = new int[h * w];
            for (int i = 0; i < source.length; i++) source[i] = r[i] * w + c[i];
            return source;
        }
    }
}
