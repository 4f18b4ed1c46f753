package io.github.trm4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bf16 probe's cache: written atomically, read back for the same machine only, corrupt files measured again. Nothing is timed. */
class Bf16ProbeTest {
    static final Hardware XEON = Hardware.of("Intel Xeon Processor", Set.of("avx512f", "avx512_bf16"), OptionalInt.empty());
    static final String KEY = Bf16Probe.key(XEON, "2.10.0", 2);

    static final Optional<String> IDLE = Optional.empty();

    @TempDir Path dir;

    /** A measurement that counts how often it ran. */
    static final class Fake implements Supplier<Bf16Speed> {
        int runs;

        @Override
        public Bf16Speed get() {
            runs++;
            return new Bf16Speed(224.5, 77.25, "measured now");
        }
    }

    @Test
    void measuresOnceThenReadsTheCache() throws IOException {
        Path file = Bf16Probe.cacheFile(dir.resolve("trm4j"), KEY);
        Fake fake = new Fake();
        Bf16Speed first = Bf16Probe.lookup(file, KEY, fake, IDLE);
        assertEquals("measured now, cached in " + file, first.source());
        Bf16Speed second = Bf16Probe.lookup(file, KEY, fake, IDLE);
        assertEquals(1, fake.runs);
        assertEquals(224.5, second.fp32Gflops());
        assertEquals(77.25, second.bf16Gflops());
        assertTrue(second.source().startsWith("cached in " + file + " on 20"), second.source());
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count()); // no temporary file left beside it
        }
    }

    @Test
    void theKeyNamesTheMachineTheLibraryAndTheThreads() {
        assertEquals("Intel Xeon Processor | avx512_bf16 avx512f | libtorch 2.10.0 | 2 threads", KEY);
        assertNotEquals(Bf16Probe.cacheFile(dir, KEY), Bf16Probe.cacheFile(dir, Bf16Probe.key(XEON, "2.10.0", 4)));
        assertNotEquals(KEY, Bf16Probe.key(XEON, "2.11.0", 2));
        assertTrue(Bf16Probe.cacheFile(dir, KEY).getFileName().toString().matches("bf16-probe-[0-9a-f]{16}\\.properties"));
    }

    @Test
    void anotherMachinesRatesAreNotUsed() {
        Path file = Bf16Probe.cacheFile(dir, KEY);
        Bf16Probe.write(file, Bf16Probe.key(XEON, "2.10.0", 8), new Bf16Speed(1, 2, "x"));
        assertTrue(Bf16Probe.read(file, KEY).isEmpty());
        Fake fake = new Fake();
        Bf16Probe.lookup(file, KEY, fake, IDLE);
        assertEquals(1, fake.runs);
        assertEquals(224.5, Bf16Probe.read(file, KEY).orElseThrow().fp32Gflops());
    }

    @Test
    void aCorruptCacheIsIgnoredAndRewritten() throws IOException {
        Path file = Bf16Probe.cacheFile(dir, KEY);
        String good = "key=" + KEY.replace(" ", "\\ ") + "\n";
        for (String corrupt : new String[] {"", "\u0000\u0001garbage\n", "fp32_gflops=\\uZZZZ\n", good + "fp32_gflops=abc\nbf16_gflops=1\n",
            good + "fp32_gflops=-3\nbf16_gflops=1\n", good + "fp32_gflops=NaN\nbf16_gflops=1\n", good + "bf16_gflops=1\n"}) {
            Files.writeString(file, corrupt);
            assertTrue(Bf16Probe.read(file, KEY).isEmpty(), corrupt);
            Fake fake = new Fake();
            assertEquals(77.25, Bf16Probe.lookup(file, KEY, fake, IDLE).bf16Gflops());
            assertEquals(1, fake.runs, corrupt);
            assertTrue(Bf16Probe.read(file, KEY).isPresent(), corrupt);
        }
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 'k', 'e', 'y'}); // not UTF-8
        assertTrue(Bf16Probe.read(file, KEY).isEmpty());
        // a hand-written file with the right key is read
        Files.writeString(file, good + "fp32_gflops=100\nbf16_gflops=300\n");
        assertTrue(Bf16Probe.read(file, KEY).orElseThrow().bf16Faster());
    }

    @Test
    void aCacheThatCannotBeWrittenStillGivesTheMeasurement() throws IOException {
        Path file = Bf16Probe.cacheFile(dir, KEY);
        Files.createDirectory(file); // a folder where the file belongs
        Bf16Speed s = Bf16Probe.lookup(file, KEY, new Fake(), IDLE);
        assertEquals(224.5, s.fp32Gflops());
        assertTrue(s.source().startsWith("measured now, not cached: "), s.source());
        assertFalse(s.bf16Faster());
    }

    @Test
    void aMeasurementOnABusyMachineDecidesThisRunOnly() {
        Path file = Bf16Probe.cacheFile(dir, KEY);
        Bf16Speed s = Bf16Probe.lookup(file, KEY, new Fake(), Optional.of("load 16.4 on 2 cores"));
        assertEquals(77.25, s.bf16Gflops());
        assertEquals("measured now under load 16.4 on 2 cores, not cached", s.source());
        assertFalse(Files.exists(file));
    }
}
