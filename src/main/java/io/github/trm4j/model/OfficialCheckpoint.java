package io.github.trm4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.trm4j.InputException;
import io.github.trm4j.Printable;
import io.github.trm4j.model.TorchPickle.StorageRef;
import io.github.trm4j.model.TorchPickle.TensorRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Official TRM checkpoints, read in pure Java: the {@code step_N} files that
 * {@code torch.save(model.state_dict())} writes. Such a file is a zip with
 * {@code <folder>/data.pkl} (a pickled OrderedDict, read by the restricted {@link TorchPickle}),
 * {@code <folder>/data/<key>} (raw storages) and optionally {@code <folder>/byteorder}. Keys lose
 * their {@code _orig_mod.} and {@code model.inner.} prefixes; BF16 and F16 tensors become fp32.
 *
 * <p>A hostile file is refused before anything large is allocated: {@code data.pkl} may inflate to
 * at most {@value #MAX_PICKLE} bytes (counted as inflated, whatever the zip declares); a storage
 * must be exactly as long as its zip entry, and that entry at most {@value #MAX_DEFLATE_RATIO}
 * times its compressed size (deflate's own limit), so the elements a file claims are backed by the
 * bytes it holds; every view must lie inside its storage and claim no more elements than it, and
 * all views together at most {@value #MAX_REUSE} times the stored elements.
 */
public final class OfficialCheckpoint {
    /** The trainer writes its whole configuration beside the checkpoints under this name. */
    public static final String CONFIG_FILE = "all_config.yaml";

    private static final List<String> PREFIXES = List.of("_orig_mod.", "model.inner.");
    static final long MAX_PICKLE = 64L << 20;
    /** Deflate cannot expand data by more than about 1032:1; an entry declaring more lies. */
    static final long MAX_DEFLATE_RATIO = 1032;
    /** All tensors together may claim at most this many elements per stored element (shared storages). */
    static final long MAX_REUSE = 8;
    private static final Pattern STEP = Pattern.compile("step_(\\d+)");

    private OfficialCheckpoint() {}

    /**
     * Tensors by official name without prefix, in file order; floating tensors are fp32. The
     * tensors belong to the caller and are attached to no {@link PointerScope}; close this record
     * to free them at once, otherwise the GC frees them once unreachable.
     */
    public record Contents(Path file, Map<String, Tensor> tensors, OptionalLong step) implements AutoCloseable {
        @Override
        public void close() {
            Checkpoint.release(tensors);
        }
    }

    /** A parsed {@code all_config.yaml}: {@code arch} holds the architecture, the top level training settings. */
    public record Config(Path file, JsonNode tree) {
        public JsonNode arch() {
            return tree.get("arch");
        }
    }

    /** Reads every tensor. Needs {@link Backend#init()}. */
    public static Contents read(Path file) {
        return read(file, TensorBytes.STREAM_CHUNK);
    }

    static Contents read(Path file, int chunk) {
        try (ZipFile zip = open(file); PointerScope scope = new PointerScope()) {
            Archive a = archive(file, zip);
            Map<String, Integer> users = new HashMap<>();
            for (TensorRef r : a.refs().values()) users.merge(r.storage().key(), 1, Integer::sum);
            Map<String, Tensor> storages = new HashMap<>();
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : a.refs().entrySet()) {
                String key = e.getKey();
                TensorRef r = e.getValue();
                Tensor storage = storages.get(r.storage().key());
                if (storage == null) {
                    storage = storage(file, zip, a, key, r.storage(), chunk);
                    storages.put(r.storage().key(), storage);
                }
                out.put(strip(key), tensor(file, key, r, storage, users.get(r.storage().key()) == 1));
            }
            Checkpoint.handOut(out.values());
            return new Contents(file, Collections.unmodifiableMap(out), step(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Names (without prefix), stored dtypes and shapes, from the pickle and the zip directory alone:
     * no tensor data is read, and every storage and view has been checked against the file.
     */
    static Map<String, WeightLayout.Found> found(Path file) {
        try (ZipFile zip = open(file)) {
            Map<String, WeightLayout.Found> out = new LinkedHashMap<>();
            archive(file, zip).refs().forEach((k, r) -> {
                StoredDtype d = r.storage().dtype();
                out.put(strip(k), new WeightLayout.Found(d.safetensorsName(), d.isFloat(), r.size()));
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The step number in a {@code step_N} file name. */
    public static OptionalLong step(Path file) {
        Matcher m = STEP.matcher(file.getFileName().toString());
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** {@value #CONFIG_FILE} in the checkpoint's folder, if there is one. */
    public static Optional<Path> configBeside(Path checkpoint) {
        Path p = checkpoint.toAbsolutePath().resolveSibling(CONFIG_FILE);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    /** Parses an official {@code all_config.yaml}; it must have an {@code arch} mapping. */
    public static Config readConfig(Path yaml) {
        JsonNode tree;
        try {
            tree = new YAMLMapper().readTree(yaml.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InputException(yaml + ": not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            if (!Files.exists(yaml)) throw new InputException(yaml + ": no such file");
            throw new UncheckedIOException("cannot read " + yaml, e);
        }
        if (tree == null || !tree.isObject()) throw new InputException(yaml + ": not a YAML mapping");
        if (!tree.path("arch").isObject()) throw new InputException(yaml + ": no 'arch' section");
        return new Config(yaml, tree);
    }

    /** The parsed pickle and where its entries live. */
    private record Archive(String folder, boolean bigEndian, Map<String, TensorRef> refs) {}

    private static ZipFile open(Path file) throws IOException {
        Checkpoint.Format format = Checkpoint.sniff(file);
        if (format == Checkpoint.Format.LEGACY_TORCH)
            throw new InputException(file + ": a pre-1.6 torch.save file (not a zip); re-save it with a recent PyTorch");
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new InputException(file + ": not a readable zip archive, truncated or corrupt (" + e.getMessage() + ")");
        }
    }

    private static Archive archive(Path file, ZipFile zip) throws IOException {
        String folder = null;
        for (ZipEntry e : Collections.list(zip.entries())) {
            String n = e.getName();
            if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                if (folder != null) throw new InputException(file + ": more than one data.pkl in the zip");
                folder = n.substring(0, n.indexOf('/'));
            }
        }
        if (folder == null) throw new InputException(file + ": zip has no <folder>/data.pkl; not a torch.save checkpoint");
        boolean big = false;
        ZipEntry order = zip.getEntry(folder + "/byteorder");
        if (order != null) {
            String o = new String(readSmall(file, zip, order), StandardCharsets.US_ASCII).trim();
            if (!o.equals("little") && !o.equals("big")) throw new InputException(file + ": byteorder entry says " + Printable.quote(o));
            big = o.equals("big");
        }
        byte[] pickle = readSmall(file, zip, zip.getEntry(folder + "/data.pkl"));
        Map<String, TensorRef> refs = TorchPickle.stateDict(pickle, file + " (" + folder + "/data.pkl)");
        Map<String, String> stripped = new HashMap<>();
        for (String k : refs.keySet()) {
            String prev = stripped.put(strip(k), k);
            if (prev != null)
                throw new InputException(file + ": keys " + Printable.quote(prev) + " and " + Printable.quote(k) + " are the same without prefixes");
        }
        checkViews(file, zip, folder, refs);
        return new Archive(folder, big, refs);
    }

    /**
     * Every storage against its zip entry and every view against its storage, from the pickle and
     * the zip directory alone: nothing is allocated for a file whose claims its bytes cannot back.
     */
    private static void checkViews(Path file, ZipFile zip, String folder, Map<String, TensorRef> refs) {
        Map<String, StorageRef> storages = new HashMap<>();
        long stored = 0, viewed = 0;
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            String key = e.getKey();
            TensorRef r = e.getValue();
            StorageRef s = r.storage();
            StorageRef seen = storages.putIfAbsent(s.key(), s);
            if (seen == null) {
                stored += checkStorage(file, zip.getEntry(folder + "/data/" + s.key()), key, s);
            } else if (!seen.equals(s)) {
                throw new InputException(where(file, key, s) + " is declared twice with different types or sizes");
            }
            long last = lastIndex(file, key, r);
            if (last >= s.numel())
                throw new InputException(where(file, key) + ": size " + Arrays.toString(r.size()) + ", stride "
                        + Arrays.toString(r.stride()) + " and offset " + r.offset() + " reach element " + last
                        + " of a storage of " + s.numel());
            long numel = numel(file, key, r.size());
            if (numel > s.numel())
                throw new InputException(where(file, key) + ": size " + Arrays.toString(r.size()) + " claims " + numel
                        + " elements from a storage of " + s.numel() + " (overlapping or stride-0 view)");
            viewed += numel; // at most 2^20 tensors of at most 2^61 elements: no overflow
        }
        if (viewed > Math.max(stored, 1) * MAX_REUSE)
            throw new InputException(file + ": its tensors claim " + viewed + " elements from " + stored
                    + " stored ones (more than " + MAX_REUSE + " views of each)");
    }

    /** Checks one storage's claim against its entry; returns its element count. */
    private static long checkStorage(Path file, ZipEntry e, String tensor, StorageRef s) {
        String where = where(file, tensor, s);
        if (e == null) throw new InputException(where + " is missing from the zip");
        if (s.numel() < 0) throw new InputException(where + " claims " + s.numel() + " elements");
        long need;
        try {
            need = Math.multiplyExact(s.numel(), (long) s.dtype().bytes());
        } catch (ArithmeticException ex) {
            throw new InputException(where + " claims " + s.numel() + " " + s.dtype().safetensorsName()
                    + " elements, more bytes than any file holds");
        }
        if (e.getSize() != need)
            throw new InputException(where + " holds " + e.getSize() + " bytes, but " + s.numel() + " "
                    + s.dtype().safetensorsName() + " elements need " + need);
        long packed = e.getCompressedSize();
        if (packed >= 0 && need > Math.max(packed, 64) * MAX_DEFLATE_RATIO)
            throw new InputException(where + " declares " + need + " bytes packed in " + packed
                    + "; no zip entry expands that much");
        return s.numel();
    }

    private static long numel(Path file, String key, long[] size) {
        long n = 1;
        try {
            for (long d : size) n = Math.multiplyExact(n, d);
        } catch (ArithmeticException e) {
            throw new InputException(where(file, key) + ": size " + Arrays.toString(size) + " overflows");
        }
        return n;
    }

    private static String where(Path file, String tensor) {
        return file + ": tensor " + Printable.quote(tensor);
    }

    private static String where(Path file, String tensor, StorageRef s) {
        return where(file, tensor) + ": storage " + Printable.quote(s.key());
    }

    /** An entry of at most {@value #MAX_PICKLE} bytes, counted as they inflate (declared sizes can lie). */
    private static byte[] readSmall(Path file, ZipFile zip, ZipEntry e) throws IOException {
        String tooLarge = file + ": " + Printable.quote(e.getName()) + " is larger than " + MAX_PICKLE + " bytes";
        if (e.getSize() > MAX_PICKLE) throw new InputException(tooLarge + " (" + e.getSize() + " declared)");
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) MAX_PICKLE + 1);
            if (b.length > MAX_PICKLE) throw new InputException(tooLarge + " once inflated (" + e.getSize() + " declared)");
            return b;
        } catch (ZipException | java.io.EOFException ex) {
            throw new InputException(file + ": " + e.getName() + " is unreadable (" + ex.getMessage() + ")");
        }
    }

    /** The whole storage as a 1-D tensor of its stored dtype, in this machine's byte order. */
    private static Tensor storage(Path file, ZipFile zip, Archive a, String tensor, StorageRef s, int chunk) throws IOException {
        String where = where(file, tensor, s);
        ZipEntry e = zip.getEntry(a.folder() + "/data/" + s.key()); // checked by checkViews
        Tensor t = torch.empty(new long[] {s.numel()}, new TensorOptions(s.dtype().scalarType()), new MemoryFormatOptional());
        try (InputStream in = zip.getInputStream(e)) {
            TensorBytes.read(in, t, chunk);
            if (in.read() >= 0) throw new InputException(where + " inflates to more than its declared " + e.getSize() + " bytes");
        } catch (ZipException | java.io.EOFException ex) {
            throw new InputException(where + " is unreadable (" + ex.getMessage() + ")");
        }
        if (a.bigEndian() && s.dtype().bytes() > 1) {
            // (numel, bytes) byte matrix, each row reversed, then reinterpreted
            t = t.view(ScalarType.Byte).view(s.numel(), s.dtype().bytes()).flip(1).contiguous()
                    .view(s.dtype().scalarType()).view(s.numel());
        }
        return t;
    }

    /**
     * {@code _rebuild_tensor_v2} done safely: bounds are checked before the strided view is made,
     * and the result owns its memory (a copy, unless it is exactly its storage's only tensor).
     */
    private static Tensor tensor(Path file, String key, TensorRef r, Tensor storage, boolean soleUser) {
        long numel = storage.numel(); // the view was checked against it by checkViews
        Tensor view = storage.as_strided(r.size(), r.stride(), new LongOptional(r.offset()));
        StoredDtype dtype = r.storage().dtype();
        boolean widen = dtype == StoredDtype.BF16 || dtype == StoredDtype.F16;
        if (!widen && soleUser && r.offset() == 0 && view.is_contiguous() && view.numel() == numel) return view;
        ScalarType target = widen ? ScalarType.Float : dtype.scalarType();
        Tensor out = torch.empty(r.size(), new TensorOptions(target), new MemoryFormatOptional());
        out.copy_(view);
        return out;
    }

    /** The largest storage index a view touches, or -1 if it is empty; rejects negative values. */
    private static long lastIndex(Path file, String key, TensorRef r) {
        if (r.offset() < 0) throw new InputException(where(file, key) + ": negative storage offset");
        long last = r.offset();
        try {
            for (int i = 0; i < r.size().length; i++) {
                if (r.size()[i] < 0 || r.stride()[i] < 0)
                    throw new InputException(where(file, key) + ": negative size or stride");
                if (r.size()[i] == 0) return -1;
                last = Math.addExact(last, Math.multiplyExact(r.size()[i] - 1, r.stride()[i]));
            }
        } catch (ArithmeticException e) {
            throw new InputException(where(file, key) + ": size and stride overflow");
        }
        return last;
    }

    /** The official name without the compiled-module and loss-head prefixes. */
    static String strip(String key) {
        for (String p : PREFIXES) if (key.startsWith(p)) key = key.substring(p.length());
        return key;
    }
}
