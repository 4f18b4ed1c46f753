package io.github.trm4j.model;

import static io.github.trm4j.model.HostileFiles.stateDict;
import static io.github.trm4j.model.OfficialCheckpointTest.fixture;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.trm4j.InputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken checkpoints: each is refused with one line naming the file and the key. */
class BrokenCheckpointTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void backend() {
        Backend.init();
    }

    private static String refused(Path file, String... parts) {
        InputException e = assertThrows(InputException.class, () -> Checkpoint.load(file).close());
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()), m);
        assertFalse(m.contains("\n"), m);
        for (String p : parts) assertTrue(m.contains(p), "'" + p + "' not in: " + m);
        return m;
    }

    @Test
    void picklesNamingCodeAreRefusedWithoutRunningIt() {
        Path pwned = Path.of("/tmp/trm4j-pwned");
        refused(fixture("hostile_os_system.pt"), "os.system", "refusing to load", "nothing was executed");
        refused(fixture("hostile_eval.pt"), "__builtin__.eval", "refusing to load");
        refused(fixture("unknown_global.pt"), "datetime.date", "refusing to load");
        assertFalse(Files.exists(pwned));
    }

    @Test
    void truncatedZip() {
        refused(fixture("truncated.pt"), "not a readable zip archive, truncated or corrupt");
    }

    @Test
    void storageShorterThanItsElementCountNamesTensorAndStorage() {
        refused(fixture("short_storage.pt"), "tensor 'i64'", "storage '4'", "holds 22 bytes", "3 I64 elements need 24");
    }

    @Test
    void legacyFormatAndNestedDictsAreNamed() {
        refused(fixture("legacy.pt"), "pre-1.6 torch.save");
        refused(fixture("nested.pt"), "key 'model' holds a dict, not a tensor");
    }

    @Test
    void unknownFilesAndMissingFiles() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.bin"), "hello, not a checkpoint");
        refused(junk, "neither a safetensors file nor a PyTorch checkpoint");
        refused(dir.resolve("absent"), "no such file");
    }

    @Test
    void brokenAllConfigYamlIsNamed() throws IOException {
        Path step = Files.copy(fixture("official/step_42"), dir.resolve("step_42"));
        Files.writeString(dir.resolve("all_config.yaml"), "arch: [unclosed\n");
        InputException e = assertThrows(InputException.class, () -> Checkpoint.load(step).close());
        assertTrue(e.getMessage().startsWith(dir.resolve("all_config.yaml").toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
        Files.writeString(dir.resolve("all_config.yaml"), "lr: 0.1\n");
        e = assertThrows(InputException.class, () -> Checkpoint.load(step).close());
        assertTrue(e.getMessage().endsWith("no 'arch' section"), e.getMessage());
    }

    // ---- hand-made pickles in a torch-layout zip ----

    private Path zip(String name, byte[] pickle, int storageFloats) throws IOException {
        return HostileFiles.zip(dir.resolve(name), pickle, Map.of("0", new byte[4 * storageFloats]), false);
    }

    @Test
    void handMadeZipLoads() throws IOException {
        Path ok = zip("ok.pt", stateDict().tensor("_orig_mod.w", 4, 1, 3, 1).op('u', '.').bytes(), 4);
        try (OfficialCheckpoint.Contents c = OfficialCheckpoint.read(ok)) {
            assertTrue(c.tensors().containsKey("w"));
        }
        refused(ok, "no model config");
    }

    @Test
    void viewsReachingPastTheirStorageNameTheTensor() throws IOException {
        Path f = zip("oob.pt", stateDict().tensor("w", 4, 2, 3, 1).op('u', '.').bytes(), 4);
        refused(f, "tensor 'w'", "reach element 4 of a storage of 4");
    }

    @Test
    void callingAStorageClassIsRefused() throws IOException {
        byte[] p = new HostileFiles.Pickle().op(0x80, 2).global("torch", "FloatStorage").op(')', 'R', '.').bytes();
        refused(zip("call.pt", p, 0), "pickle calls 'torch.FloatStorage'", "refusing to load");
    }

    @Test
    void opcodesOutsideStateDictsAreRefused() throws IOException {
        // NEWOBJ (0x81) builds an object from a class: never needed by a state dict.
        byte[] p = stateDict().global("collections", "OrderedDict").op(')', 0x81, '.').bytes();
        refused(zip("newobj.pt", p, 0), "opcode 0x81", "not allowed");
    }

    @Test
    void truncatedPickleAndMissingStorage() throws IOException {
        byte[] whole = stateDict().tensor("w", 4, 0, 4, 1).op('u', '.').bytes();
        refused(zip("cut.pt", java.util.Arrays.copyOf(whole, whole.length - 9), 4), "ends early");
        Path f = dir.resolve("nostorage.pt");
        try (OutputStream os = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("m/data.pkl"));
            z.write(whole);
        }
        refused(f, "tensor 'w'", "storage '0' is missing");
    }

    @Test
    void keysThatCollideWithoutPrefixes() throws IOException {
        byte[] p = stateDict().tensor("_orig_mod.model.inner.w", 4, 0, 4, 1).tensor("model.inner.w", 4, 0, 4, 1)
                .op('u', '.').bytes();
        refused(zip("dup.pt", p, 4), "'_orig_mod.model.inner.w' and 'model.inner.w'");
    }
}
