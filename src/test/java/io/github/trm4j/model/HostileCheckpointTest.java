package io.github.trm4j.model;

import static io.github.trm4j.model.HostileFiles.stateDict;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.github.trm4j.InputException;
import io.github.trm4j.model.HostileFiles.Pickle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-file corpus: pickles, zips and safetensors files built here, byte by byte, that try
 * to overflow the stack, exhaust memory, claim more than the file holds or drive the terminal. Each
 * must be refused with one line that names the file, before anything large is allocated (a refusal
 * that came after a 2 GB allocation would show as an OutOfMemoryError or a slow test, not a pass).
 */
class HostileCheckpointTest {
    private static final int DEEP = 300_000;

    @TempDir
    static Path dir;

    @BeforeAll
    static void backend() {
        Backend.init();
    }

    /** Loads {@code file} and checks the refusal: one line, starting with the file, holding each part, no raw control character. */
    static String refused(Path file, String... parts) {
        return refusedBy(file, () -> Checkpoint.load(file).close(), parts);
    }

    static String refusedBy(Path file, Executable load, String... parts) {
        InputException e = assertThrows(InputException.class, load);
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()), m);
        for (char c : m.toCharArray()) assertFalse(c < 0x20 || c == 0x7f, "raw control character in: " + m);
        for (String p : parts) assertTrue(m.contains(p), "'" + p + "' not in: " + m);
        return m;
    }

    private static Path zip(String name, Pickle p) throws IOException {
        return HostileFiles.zip(dir.resolve(name), p.bytes(), Map.of("0", new byte[16]), false);
    }

    private static DynamicTest pickle(String name, Pickle p, String... parts) {
        return dynamicTest(name, () -> refused(zip(name, p), parts));
    }

    // ---- the unpickler: depth, memo, values, names ----

    @TestFactory
    Stream<DynamicTest> picklesThatTryTheUnpicklersLimits() {
        String deep = "nested more than " + TorchPickle.MAX_DEPTH + " deep";
        List<DynamicTest> t = new ArrayList<>();
        t.add(pickle("tuples-mark", new Pickle().op(0x80, 2).repeat(DEEP, '(').repeat(DEEP, 't').op('.'), deep));
        t.add(pickle("tuples-tuple1", new Pickle().op(0x80, 2, ')').repeat(DEEP, 0x85).op('.'), deep));
        t.add(pickle("lists", new Pickle().op(0x80, 2).repeat(DEEP, ']').repeat(DEEP - 1, 'a').op('.'), deep));
        Pickle dicts = new Pickle().op(0x80, 2, '}');
        for (int i = 0; i < DEEP; i++) dicts.str("k").op('}');
        t.add(pickle("dicts", dicts.repeat(DEEP, 's').op('.'), deep));
        t.add(pickle("dict-own-key", new Pickle().op(0x80, 2, '}', '2', 'K', 1, 's', '.'), "dict key is a dict"));
        t.add(pickle("tuple-key", new Pickle().op(0x80, 2, '}', ')').repeat(50, 0x85).op('K', 1, 's', '.'), "dict key is a tuple"));
        t.add(pickle("list-in-itself", new Pickle().op(0x80, 2, ']', 'q', 0).repeat(DEEP, 'h', 0, 'a').op('.'), deep));
        t.add(pickle("dict-in-itself", new Pickle().op(0x80, 2, '}', 'q', 0, 'K', 1, 'h', 0, 's', '.'),
                "state dict key long is not a string"));
        t.add(pickle("marks-only", new Pickle().op(0x80, 2).repeat(DEEP, '(').op('.'), "STOP with"));
        t.add(pickle("memo-flood", new Pickle().op(0x80, 4, 'N').repeat(TorchPickle.MAX_MEMO + 1, 0x94).op('.'),
                "more than " + TorchPickle.MAX_MEMO + " memo entries"));
        t.add(pickle("value-flood", new Pickle().op(0x80, 2).repeat(TorchPickle.MAX_VALUES + 1, 'N').op('.'),
                "more than " + TorchPickle.MAX_VALUES + " values"));
        t.add(pickle("string-4gb", new Pickle().op(0x80, 2, 'X', 0xff, 0xff, 0xff, 0xff).op('.'), "ends early"));
        t.add(pickle("bytes8-huge", new Pickle().op(0x80, 4, 0x8e).raw("\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0040").op('.'), "ends early"));
        t.add(pickle("long1-200-bytes", new Pickle().op(0x80, 2, 0x8a, 200).op('.'), "integer of 200 bytes"));
        t.add(pickle("global-no-newline", new Pickle().op(0x80, 2, 'c').raw("x".repeat(10_000)), "longer than 256 bytes"));
        t.add(pickle("memo-missing", new Pickle().op(0x80, 2, 'j', 0xff, 0xff, 0xff, 0x7f, '.'), "memo entry 2147483647 is missing"));
        return t.stream();
    }

    @TestFactory
    Stream<DynamicTest> picklesThatTryToRunCode() {
        List<DynamicTest> t = new ArrayList<>();
        t.add(pickle("os-system", new Pickle().op(0x80, 2).global("os", "system").str("touch /tmp/trm4j-pwned").op(0x85, 'R', '.'),
                "'os.system'", "nothing was executed"));
        t.add(pickle("builtins-exec", new Pickle().op(0x80, 2).global("builtins", "exec").op('.'), "'builtins.exec'"));
        t.add(pickle("subprocess", new Pickle().op(0x80, 4).str("subprocess").str("Popen").op(0x93, '.'), "'subprocess.Popen'"));
        t.add(pickle("inst", new Pickle().op(0x80, 2, '(').raw("ios\nsystem\n").op('.'), "opcode 0x69"));
        t.add(pickle("obj", new Pickle().op(0x80, 2, '(').global("collections", "OrderedDict").op('o', '.'), "opcode 0x6f"));
        t.add(pickle("newobj-ex", new Pickle().op(0x80, 4).global("collections", "OrderedDict").op(')', '}', 0x92, '.'), "opcode 0x92"));
        t.add(pickle("ext1", new Pickle().op(0x80, 2, 0x82, 1, '.'), "opcode 0x82"));
        t.add(pickle("persid-text", new Pickle().op(0x80, 2, 'P').raw("0\n").op('.'), "opcode 0x50"));
        t.add(pickle("reduce-on-storage-type", new Pickle().op(0x80, 2).global("torch", "FloatStorage").op(')', 'R', '.'),
                "pickle calls 'torch.FloatStorage'"));
        t.add(pickle("persistent-id-not-storage", stateDict().str("w").str("module").op('Q', 'u', '.'), "not a storage reference"));
        boolean pwned = Files.exists(Path.of("/tmp/trm4j-pwned"));
        t.add(dynamicTest("nothing-ran", () -> assertFalse(pwned || Files.exists(Path.of("/tmp/trm4j-pwned")))));
        return t.stream();
    }

    /** A carriage return and ANSI codes in a name would erase the refusal and print a fake success line. */
    @TestFactory
    Stream<DynamicTest> namesThatTryToDriveTheTerminal() {
        String fake = "\r\u001b[2K\u001b[32mconverted OK\u001b[0m\n";
        return Stream.of(
                dynamicTest("global-name", () -> {
                    String m = refused(zip("ansi-global", new Pickle().op(0x80, 2).global("os" + fake, "system").op('.')));
                    assertTrue(m.contains("'os\\r\\u001b[2K\\u001b[32mconverted OK\\u001b[0m.'"), m);
                }),
                dynamicTest("stack-global", () -> refused(zip("ansi-stack-global",
                        new Pickle().op(0x80, 4).str("builtins" + fake).str("eval").op(0x93, '.')), "\\u001b[2K")),
                dynamicTest("state-dict-key", () -> refused(zip("ansi-key",
                        stateDict().str("w" + fake).op('N', 'u', '.')), "key 'w\\r\\u001b[2K")),
                dynamicTest("bidi-override", () -> refused(zip("bidi-key",
                        stateDict().str("w\u202e\u2066").op('N', 'u', '.')), "\\u202e\\u2066")),
                dynamicTest("long-name-cut", () -> refused(zip("long-key",
                        stateDict().str("w".repeat(100_000)).op('N', 'u', '.')), "...(100000 chars)")));
    }

    // ---- storages and views: the elements a file claims against the bytes it holds ----

    private static DynamicTest storage(String name, long numel, String type, long[] size, long[] stride, long offset,
            int storageBytes, String... parts) {
        return dynamicTest(name, () -> {
            byte[] p = stateDict().tensor("w", type, "0", numel, offset, size, stride).op('u', '.').bytes();
            refused(HostileFiles.zip(dir.resolve(name), p, Map.of("0", new byte[storageBytes]), false), parts);
        });
    }

    @TestFactory
    Stream<DynamicTest> storagesAndViewsThatClaimMoreThanTheFileHolds() {
        long[] one = {1};
        return Stream.of(
                storage("stride0-5e8", 1, "FloatStorage", new long[] {500_000_000}, new long[] {0}, 0, 4,
                        "claims 500000000 elements from a storage of 1"),
                storage("overlap-10x10", 19, "FloatStorage", new long[] {10, 10}, new long[] {1, 1}, 0, 76,
                        "claims 100 elements from a storage of 19"),
                storage("float-2^62", 1L << 62, "FloatStorage", one, one, 0, 4, "claims 4611686018427387904 F32 elements"),
                storage("byte-2^62", 1L << 62, "ByteStorage", one, one, 0, 4, "holds 4 bytes, but 4611686018427387904 U8"),
                storage("negative-numel", -1, "FloatStorage", one, one, 0, 4, "claims -1 elements"),
                storage("size-overflow", 1, "FloatStorage", new long[] {1L << 40, 1L << 40}, new long[] {0, 0}, 0, 4, "overflows"),
                storage("stride-overflow", 4, "FloatStorage", new long[] {2, 2}, new long[] {Long.MAX_VALUE, 1}, 0, 16,
                        "size and stride overflow"),
                storage("negative-stride", 4, "FloatStorage", new long[] {2}, new long[] {-1}, 0, 16, "negative size or stride"),
                storage("negative-offset", 4, "FloatStorage", one, one, -3, 16, "negative storage offset"),
                storage("offset-past-end", 4, "FloatStorage", one, one, 1L << 40, 16, "reach element 1099511627776"),
                dynamicTest("many-views-of-one-storage", () -> {
                    Pickle p = stateDict();
                    for (int i = 0; i < 100; i++) p.tensor("w" + i, "FloatStorage", "0", 1000, 0, new long[] {1000}, new long[] {1});
                    Path f = HostileFiles.zip(dir.resolve("many-views"), p.op('u', '.').bytes(), Map.of("0", new byte[4000]), false);
                    refused(f, "claim 100000 elements from 1000 stored ones");
                }),
                dynamicTest("storage-declared-twice", () -> {
                    Pickle p = stateDict().tensor("a", "FloatStorage", "0", 4, 0, one, one).tensor("b", "FloatStorage", "0", 9, 0, one, one);
                    Path f = HostileFiles.zip(dir.resolve("twice"), p.op('u', '.').bytes(), Map.of("0", new byte[16]), false);
                    refused(f, "storage '0' is declared twice");
                }));
    }

    @TestFactory
    Stream<DynamicTest> zipsWhoseEntriesLieAboutTheirSize() {
        byte[] ok = stateDict().tensor("w", 4, 0, 4, 1).op('u', '.').bytes();
        return Stream.of(
                dynamicTest("pickle-bomb", () -> {
                    // 70 MB of zeros inflate from about 70 KB; the directory says 1 KB
                    byte[] bomb = new byte[(int) OfficialCheckpoint.MAX_PICKLE + (6 << 20)];
                    Path f = HostileFiles.zip(dir.resolve("pickle-bomb"), bomb, Map.of(), true);
                    HostileFiles.declareSize(f, "m/data.pkl", 1024);
                    refused(f, "'m/data.pkl' is larger than 67108864 bytes once inflated (1024 declared)");
                }),
                dynamicTest("storage-inflates-past-its-size", () -> {
                    Map<String, byte[]> s = new LinkedHashMap<>();
                    s.put("0", new byte[1 << 20]);
                    Path f = HostileFiles.zip(dir.resolve("storage-bomb"), ok, s, true);
                    HostileFiles.declareSize(f, "m/data/0", 16);
                    refusedBy(f, () -> OfficialCheckpoint.read(f).close(), "storage '0' inflates to more than its declared 16 bytes");
                }),
                dynamicTest("storage-declares-2gb", () -> {
                    byte[] p = stateDict().tensor("w", "FloatStorage", "0", 500_000_000, 0, new long[] {1}, new long[] {1})
                            .op('u', '.').bytes();
                    Path f = HostileFiles.zip(dir.resolve("storage-2gb"), p, Map.of("0", new byte[16]), true);
                    HostileFiles.declareSize(f, "m/data/0", 2_000_000_000L);
                    refused(f, "declares 2000000000 bytes packed in", "no zip entry expands that much");
                }));
    }

    // ---- safetensors ----

    private static DynamicTest st(String name, String header, int dataBytes, String... parts) {
        return dynamicTest(name, () -> refused(HostileFiles.safetensors(dir.resolve(name + ".safetensors"), header, dataBytes), parts));
    }

    @TestFactory
    Stream<DynamicTest> safetensorsThatClaimMoreThanTheFileHolds() {
        String w = "{\"w\":{\"dtype\":\"F32\",\"shape\":%s,\"data_offsets\":%s}}";
        return Stream.of(
                st("shape-overflow", String.format(w, "[4294967296,4294967296,4294967296]", "[0,4]"), 4, "is too large"),
                st("shape-vs-offsets", String.format(w, "[500000000]", "[0,4]"), 4, "needs 2000000000 bytes but data_offsets give 4"),
                st("offsets-past-end", String.format(w, "[1000]", "[0,4000]"), 4, "lie outside the data section of 4 bytes"),
                st("offsets-reversed", String.format(w, "[0]", "[4,0]"), 4, "lie outside"),
                st("offsets-huge", String.format(w, "[1]", "[0,1e30]"), 4, "not a non-negative integer"),
                st("negative-dim", String.format(w, "[-1]", "[0,4]"), 4, "not a non-negative integer"),
                st("rank-1000", String.format(w, "[" + "1,".repeat(999) + "1]", "[0,4]"), 4,
                        "1000 dimensions, more than " + Safetensors.MAX_RANK),
                st("overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "data overlaps"),
                st("json-nested-deep", "{\"a\":" + "[".repeat(DEEP) + "]".repeat(DEEP) + "}", 0, "not valid JSON"),
                st("metadata-not-string", "{\"__metadata__\":{\"k\":1}}", 0, "__metadata__ field 'k' is not a string"),
                st("ansi-name", "{\"w\\u001b[2K\\r\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                        "tensor 'w\\u001b[2K\\r'"),
                dynamicTest("header-longer-than-file", () -> {
                    Path f = dir.resolve("header-long.safetensors");
                    Files.write(f, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, '{', '}'});
                    refusedBy(f, () -> Safetensors.readHeader(f), "header length 4294967295 does not fit a file of 10 bytes");
                }),
                dynamicTest("header-length-negative", () -> {
                    Path f = dir.resolve("header-negative.safetensors");
                    Files.write(f, new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) 0x80, '{', '}'});
                    refusedBy(f, () -> Safetensors.readHeader(f), "header length 9223372036854775808 does not fit");
                }));
    }
}
