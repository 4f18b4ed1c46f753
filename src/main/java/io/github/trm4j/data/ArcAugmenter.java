package io.github.trm4j.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Draws the augmented versions of one ARC task (spec 6.4): version 0 is the original; then up to
 * 5·N trials, each a uniform dihedral transform and a uniform colour map with 0 fixed, keeping a
 * version only when its version hash is new, until N + 1 versions are kept. Tasks with few colours
 * or symmetric grids have fewer distinct versions and stay "not full".
 *
 * <p>Hashes as the official builder computes them: grid hash = SHA-256 hex of (height byte, width
 * byte, row-major cells); version hash = SHA-256 hex of the '|'-joined sorted list of
 * "inputhash|outputhash" over all pairs of the version (demonstrations and tests).
 */
final class ArcAugmenter {
    /** Trials per wanted augmentation. */
    static final int RETRIES = 5;
    private static final HexFormat HEX = HexFormat.of();

    /** A kept version: the augmentation and the task it produced. */
    record Version(ArcAugmentation augmentation, ArcTask task) {}

    private final MessageDigest sha;

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
        Set<String> seen = new HashSet<>();
        seen.add(versionHash(task));
        long trials = (long) RETRIES * augmentations;
        for (long trial = 0; trial < trials && kept.size() <= augmentations; trial++) {
            ArcAugmentation a = random(rng);
            ArcTask t = a.apply(task);
            if (seen.add(versionHash(t))) kept.add(new Version(a, t));
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

    String versionHash(ArcTask task) {
        List<String> pairs = new ArrayList<>(task.train().size() + task.test().size());
        for (ArcPair p : task.pairs()) pairs.add(gridHash(p.input()) + "|" + gridHash(p.output()));
        pairs.sort(null);
        return HEX.formatHex(sha.digest(String.join("|", pairs).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    String gridHash(Grid g) {
        sha.update((byte) g.height());
        sha.update((byte) g.width());
        sha.update(g.cells());
        return HEX.formatHex(sha.digest());
    }
}
