package io.github.trm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ArcAugmentationTest {
    private static final Grid G = Grid.of(new int[][] {{1, 2, 3}, {4, 5, 6}});

    private static Grid randomGrid(Random rnd) {
        int h = 1 + rnd.nextInt(30), w = 1 + rnd.nextInt(30);
        byte[] cells = new byte[h * w];
        for (int i = 0; i < cells.length; i++) cells[i] = (byte) rnd.nextInt(10);
        return Grid.of(h, w, cells);
    }

    @Test
    void theSpecNameExample() {
        ArcVersion v = ArcVersion.parse("abc|||t4|||0832597416");
        assertEquals("abc", v.taskId());
        assertEquals(Dihedral.FLIP_LR, v.augmentation().transform());
        assertEquals(Grid.of(new int[][] {{2, 3, 8}, {7, 9, 5}}), v.augmentation().apply(G));
        assertEquals("abc|||t4|||0832597416", v.name());
        assertEquals(G, v.augmentation().inverse().apply(Grid.of(new int[][] {{2, 3, 8}, {7, 9, 5}})));
    }

    @Test
    void inverseUndoesAllTransformsWithRandomColourMaps() {
        Random rnd = new Random(11);
        SplittableRandom draws = new SplittableRandom(5);
        for (Dihedral t : Dihedral.values()) {
            for (int trial = 0; trial < 25; trial++) {
                ArcAugmentation a = new ArcAugmentation(t, ArcAugmenter.random(draws).colours());
                Grid g = randomGrid(rnd);
                assertEquals(g, a.inverse().apply(a.apply(g)), a.toString());
                assertEquals(g, a.apply(a.inverse().apply(g)), a.toString());
                assertEquals(a, a.inverse().inverse());
            }
        }
    }

    @Test
    void namesRoundTripAndOriginalsAreBareIds() {
        SplittableRandom draws = new SplittableRandom(9);
        for (int i = 0; i < 100; i++) {
            ArcVersion v = new ArcVersion("Copy3", ArcAugmenter.random(draws));
            assertEquals(v, ArcVersion.parse(v.name()));
        }
        assertEquals(ArcVersion.original("007bbfb7"), ArcVersion.parse("007bbfb7"));
        assertEquals("007bbfb7", ArcVersion.original("007bbfb7").name());
        assertTrue(ArcVersion.parse("007bbfb7").augmentation().isIdentity());
    }

    @Test
    void badNamesAndMapsAreRefused() {
        assertEquals("bad ARC puzzle name 'abc|||t8|||0832597416': transform 't8' is not t0..t7",
                assertThrows(InputException.class, () -> ArcVersion.parse("abc|||t8|||0832597416")).getMessage());
        assertTrue(assertThrows(InputException.class, () -> ArcVersion.parse("abc|||t4|||083259741")).getMessage().contains("not 10 digits"));
        assertTrue(assertThrows(InputException.class, () -> ArcVersion.parse("abc|||t4|||1832597406")).getMessage().contains("keep 0 fixed"));
        assertTrue(assertThrows(InputException.class, () -> ArcVersion.parse("abc|||t4|||0832597418")).getMessage().contains("not a permutation"));
        assertTrue(assertThrows(InputException.class, () -> ArcVersion.parse("abc|||t4")).getMessage().contains("expected <task>|||t<k>|||<colour map>"));
        assertThrows(IllegalArgumentException.class, () -> new ArcAugmentation(Dihedral.IDENTITY, new int[] {0, 1, 2}));
    }

    @Test
    void randomDrawsCoverAllTransformsAndKeepZero() {
        SplittableRandom draws = new SplittableRandom(1);
        Set<Dihedral> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ArcAugmentation a = ArcAugmenter.random(draws);
            assertEquals(0, a.colours()[0]);
            seen.add(a.transform());
        }
        assertEquals(8, seen.size());
    }

    @Test
    void fastVersionHashAndGridsEqualTheDefinition() {
        ArcTask task = ArcReader.read(ArcTestData.root().resolve("arc-agi-1/training"), true).tasks().get(1);
        ArcAugmenter augmenter = new ArcAugmenter();
        ArcAugmenter.Layout layout = new ArcAugmenter.Layout(task);
        SplittableRandom draws = new SplittableRandom(2);
        for (int i = 0; i < 40; i++) {
            ArcAugmentation a = ArcAugmenter.random(draws);
            assertEquals(a.apply(task), layout.apply(a));
            assertEquals(augmenter.versionHash(a.apply(task)), augmenter.versionHash(layout, a));
        }
        // grid hash = SHA-256 of (height, width, cells) = bytes 02 03 01 02 03 04 05 06 (values from Python's hashlib)
        assertEquals("8a85482c8c93e41992c7fef9efca7b25d8e75bcc87bedf3e5f203700a34e9a6a", augmenter.gridHash(G));
        ArcTask pair = new ArcTask("g", List.of(new ArcPair(G, G)), List.of());
        assertEquals("88a69de0adedac502785044c6262f35166507b1bddedf91968d5ad44e5c0a3b3", augmenter.versionHash(pair));
        assertEquals(augmenter.versionHash(pair), augmenter.versionHash(new ArcAugmenter.Layout(pair), ArcAugmentation.IDENTITY));
    }

    @Test
    void versionsAreDistinctAndStopWhenATaskHasNoMore() {
        ArcAugmenter augmenter = new ArcAugmenter();
        // one 1x1 pair of a single colour: only the 9 recolourings differ, whatever the transform
        Grid one = Grid.of(new int[][] {{1}});
        ArcTask tiny = new ArcTask("tiny", List.of(new ArcPair(one, one)), List.of(new ArcPair(one, one)));
        List<ArcAugmenter.Version> v = augmenter.versions(tiny, 20, new SplittableRandom(4));
        assertEquals(9, v.size());
        assertTrue(v.get(0).augmentation().isIdentity());
        assertEquals(9, v.stream().map(x -> x.task().train().get(0).input()).distinct().count());

        ArcTask task = ArcReader.read(ArcTestData.root().resolve("arc-agi-1/training"), true).tasks().get(0);
        List<ArcAugmenter.Version> full = augmenter.versions(task, 50, new SplittableRandom(4));
        assertEquals(51, full.size());
        Set<String> hashes = new HashSet<>();
        for (ArcAugmenter.Version x : full) {
            assertEquals(x.augmentation().apply(task), x.task());
            assertTrue(hashes.add(augmenter.versionHash(x.task())), "duplicate version " + x.augmentation());
        }
        assertNotEquals(full, augmenter.versions(task, 50, new SplittableRandom(5)));
        assertEquals(full, augmenter.versions(task, 50, new SplittableRandom(4)));
    }
}
