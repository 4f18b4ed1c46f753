package io.github.trm4j.model;

import io.github.trm4j.InputException;
import io.github.trm4j.Printable;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restricted unpickler for the {@code data.pkl} of a {@code torch.save(state_dict)} file. It
 * knows only the opcodes a tensor state dict uses (protocols 2 to 5) and only these globals:
 * {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter[_with_state]} and the typed {@code torch.*Storage}
 * classes. It never calls anything: those names are interpreted as data. Every other global,
 * opcode or call is refused with an {@link InputException}, so loading cannot run code.
 *
 * <p>Work and memory are bounded before they are spent: the pickle is read iteratively (no
 * recursion, so no depth can overflow the stack), containers may nest at most {@value #MAX_DEPTH}
 * deep, at most {@value #MAX_VALUES} values may be made and at most {@value #MAX_MEMO} memo
 * entries kept, and dict keys must be plain values (a container as a key would make hashing
 * recurse). Names quoted in messages are escaped ({@link Printable#quote}).
 */
final class TorchPickle {
    /** A storage named by a persistent id {@code ('storage', type, key, location, numel)}. */
    record StorageRef(StoredDtype dtype, String key, String location, long numel) {}

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, ...)}: a strided view of a storage. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** Deepest container nesting a pickle may build; a state dict needs about 5. */
    static final int MAX_DEPTH = 100;
    /** Most values (pushes) one pickle may make: about 20 per tensor, so 50,000 tensors. */
    static final int MAX_VALUES = 1_000_000;
    /** Most memo entries one pickle may keep: about 10 per tensor. */
    static final int MAX_MEMO = 100_000;

    private record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** An immutable tuple and how deeply it nests containers (1 for a tuple of plain values). */
    private record Tuple(List<Object> items, int depth) {}

    /** A pickled list and its nesting depth, which grows as items are appended. */
    private static final class PickledList extends ArrayList<Object> {
        int depth = 1;
    }

    /** A pickled dict (insertion-ordered, as OrderedDict) and its nesting depth. */
    private static final class PickledDict extends LinkedHashMap<Object, Object> {
        int depth = 1;
    }

    private static final Object MARK = new Object();
    private static final Object NONE = new Object();

    private static final Map<String, StoredDtype> STORAGES = Map.of(
            "FloatStorage", StoredDtype.F32, "BFloat16Storage", StoredDtype.BF16, "HalfStorage", StoredDtype.F16,
            "DoubleStorage", StoredDtype.F64, "LongStorage", StoredDtype.I64, "IntStorage", StoredDtype.I32,
            "ShortStorage", StoredDtype.I16, "CharStorage", StoredDtype.I8, "ByteStorage", StoredDtype.U8,
            "BoolStorage", StoredDtype.BOOL);
    private static final List<String> CALLABLES = List.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state");

    private final ByteBuffer in;
    private final String where;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int values;

    private TorchPickle(byte[] pickle, String where) {
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.where = where;
    }

    /**
     * The tensors of a pickled state dict, by key in file order. {@code where} names the file for
     * error messages.
     */
    static Map<String, TensorRef> stateDict(byte[] pickle, String where) {
        Object root = new TorchPickle(pickle, where).run();
        if (!(root instanceof Map<?, ?> map)) throw new InputException(where + ": holds a " + kind(root) + ", not a state dict");
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) throw new InputException(where + ": state dict key " + kind(e.getKey()) + " is not a string");
            if (!(e.getValue() instanceof TensorRef t))
                throw new InputException(where + ": key " + Printable.quote(key) + " holds a " + kind(e.getValue()) + ", not a tensor");
            out.put(key, t);
        }
        return out;
    }

    private Object run() {
        try {
            while (true) {
                int at = in.position();
                int op = in.get() & 0xff;
                switch (op) {
                    case 0x80 -> in.get(); // PROTO n
                    case 0x95 -> in.getLong(); // FRAME length: frames are only a read-ahead hint
                    case '.' -> { // STOP
                        if (stack.size() != 1) throw malformed(at, "STOP with " + stack.size() + " values on the stack");
                        return stack.get(0);
                    }
                    case '(' -> push(MARK);
                    case '0' -> pop();
                    case '1' -> popMark();
                    case '2' -> push(peek());
                    case '}' -> push(new PickledDict());
                    case ']' -> push(new PickledList());
                    case ')' -> push(tuple(at, List.of()));
                    case 't' -> push(tuple(at, popMark()));
                    case 0x85, 0x86, 0x87 -> push(tuple(at, popN(op - 0x84)));
                    case 'N' -> push(NONE);
                    case 0x88 -> push(Boolean.TRUE);
                    case 0x89 -> push(Boolean.FALSE);
                    case 'J' -> push((long) in.getInt());
                    case 'K' -> push((long) (in.get() & 0xff));
                    case 'M' -> push((long) (in.getShort() & 0xffff));
                    case 0x8a -> push(long1(at));
                    case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // big-endian
                    case 'X' -> push(text(size(at, Integer.toUnsignedLong(in.getInt()))));
                    case 0x8c -> push(text(in.get() & 0xff));
                    case 0x8d -> push(text(size(at, in.getLong())));
                    case 'C' -> push(bytes(in.get() & 0xff));
                    case 'B' -> push(bytes(size(at, Integer.toUnsignedLong(in.getInt()))));
                    case 0x8e -> push(bytes(size(at, in.getLong())));
                    case 'q' -> memoPut(at, in.get() & 0xff);
                    case 'r' -> memoPut(at, Integer.toUnsignedLong(in.getInt()));
                    case 0x94 -> memoPut(at, memo.size());
                    case 'h' -> push(memoGet(at, in.get() & 0xff));
                    case 'j' -> push(memoGet(at, Integer.toUnsignedLong(in.getInt())));
                    case 'c' -> push(global(line(), line()));
                    case 0x93 -> {
                        Object name = pop(), module = pop();
                        if (!(module instanceof String m) || !(name instanceof String n)) throw malformed(at, "STACK_GLOBAL needs two strings");
                        push(global(m, n));
                    }
                    case 'Q' -> push(persistentId(at, pop()));
                    case 'R' -> {
                        Object args = pop();
                        push(reduce(at, pop(), args));
                    }
                    case 'b' -> {
                        pop(); // the state of BUILD: state_dict()'s _metadata attribute, not needed
                        if (!(peek() instanceof PickledDict)) throw malformed(at, "BUILD on a " + kind(peek()));
                    }
                    case 's' -> {
                        Object value = pop(), key = pop();
                        setItem(at, dict(at), key, value);
                    }
                    case 'u' -> {
                        List<Object> items = popMark();
                        if (items.size() % 2 != 0) throw malformed(at, "SETITEMS with an odd number of values");
                        PickledDict d = dict(at);
                        for (int i = 0; i < items.size(); i += 2) setItem(at, d, items.get(i), items.get(i + 1));
                    }
                    case 'a' -> {
                        Object v = pop();
                        append(at, list(at), v);
                    }
                    case 'e' -> {
                        List<Object> items = popMark();
                        PickledList l = list(at);
                        for (Object v : items) append(at, l, v);
                    }
                    default -> throw new InputException(String.format(
                            "%s: pickle opcode 0x%02x at byte %d is not allowed in a state dict; refusing to load", where, op, at));
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new InputException(where + ": pickle ends early (truncated data.pkl)");
        }
    }

    /** Only the allow-listed names resolve; anything else stops loading before it could be used. */
    private Global global(String module, String name) {
        Global g = new Global(module, name);
        boolean storage = module.equals("torch") && STORAGES.containsKey(name);
        if (!storage && !CALLABLES.contains(g.toString()))
            throw new InputException(where + ": pickle names " + Printable.quote(g.toString()) + ", which a tensor state dict never needs;"
                    + " refusing to load (nothing was executed)");
        return g;
    }

    private Object reduce(int at, Object callable, Object argsObj) {
        if (!(callable instanceof Global g) || !CALLABLES.contains(g.toString()))
            throw new InputException(where + ": pickle calls " + kind(callable) + " at byte " + at
                    + ", which a tensor state dict never does; refusing to load (nothing was executed)");
        if (!(argsObj instanceof Tuple t)) throw malformed(at, "REDUCE arguments are a " + kind(argsObj));
        List<Object> args = t.items();
        switch (g.name()) {
            case "OrderedDict" -> {
                if (!args.isEmpty()) throw malformed(at, "OrderedDict built from arguments");
                return new PickledDict();
            }
            case "_rebuild_tensor_v2" -> {
                if (args.size() < 4 || args.size() > 7 || !(args.get(0) instanceof StorageRef s))
                    throw malformed(at, "_rebuild_tensor_v2 without a storage");
                long offset = integer(at, args.get(1));
                long[] size = longs(at, args.get(2)), stride = longs(at, args.get(3));
                if (size.length != stride.length) throw malformed(at, "tensor size and stride lengths differ");
                return new TensorRef(s, offset, size, stride);
            }
            default -> { // _rebuild_parameter(data, requires_grad, hooks[, state]): the data is the tensor
                if (args.isEmpty() || !(args.get(0) instanceof TensorRef data)) throw malformed(at, g.name() + " without a tensor");
                return data;
            }
        }
    }

    private StorageRef persistentId(int at, Object pid) {
        if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0)))
            throw malformed(at, "persistent id " + kind(pid) + " is not a storage reference");
        List<Object> f = t.items();
        if (!(f.get(1) instanceof Global type) || !STORAGES.containsKey(type.name()))
            throw malformed(at, "storage type " + kind(f.get(1)));
        if (!(f.get(2) instanceof String key) || !(f.get(3) instanceof String location))
            throw malformed(at, "storage key or location is not a string");
        return new StorageRef(STORAGES.get(type.name()), key, location, integer(at, f.get(4)));
    }

    private long long1(int at) {
        int n = in.get() & 0xff;
        if (n > 8) throw malformed(at, "integer of " + n + " bytes");
        byte[] le = new byte[n];
        in.get(le);
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = le[n - 1 - i];
        return n == 0 ? 0 : new BigInteger(be).longValue();
    }

    private int size(int at, long n) {
        if (n < 0 || n > in.remaining()) throw new InputException(where + ": pickle ends early (truncated data.pkl)");
        return (int) n;
    }

    private String text(int n) {
        byte[] b = bytes(n);
        return new String(b, StandardCharsets.UTF_8);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[size(in.position(), n)];
        in.get(b);
        return b;
    }

    private String line() {
        int start = in.position();
        while (in.get() != '\n') {
            if (in.position() - start > 256) throw malformed(start, "GLOBAL name longer than 256 bytes");
        }
        return new String(in.array(), start, in.position() - start - 1, StandardCharsets.UTF_8);
    }

    private void push(Object o) {
        if (++values > MAX_VALUES)
            throw malformed(in.position() - 1, "more than " + MAX_VALUES + " values; a state dict needs far fewer");
        stack.add(o);
    }

    private void memoPut(int at, long index) {
        if (memo.size() >= MAX_MEMO && !memo.containsKey(index))
            throw malformed(at, "more than " + MAX_MEMO + " memo entries; a state dict needs far fewer");
        memo.put(index, peek());
    }

    private Tuple tuple(int at, List<Object> items) {
        int depth = 0;
        for (Object o : items) depth = Math.max(depth, depth(o));
        return new Tuple(items, nested(at, depth + 1));
    }

    private void append(int at, PickledList list, Object v) {
        list.depth = Math.max(list.depth, nested(at, depth(v) + 1));
        list.add(v);
    }

    /** A dict key must be a plain value: hashing a container would recurse through it. */
    private void setItem(int at, PickledDict dict, Object key, Object value) {
        if (!(key instanceof String || key instanceof Long || key instanceof Boolean || key instanceof Double || key == NONE))
            throw malformed(at, "dict key is a " + kind(key) + "; a state dict's keys are strings");
        dict.depth = Math.max(dict.depth, nested(at, depth(value) + 1));
        dict.put(key, value);
    }

    private int nested(int at, int depth) {
        if (depth > MAX_DEPTH) throw malformed(at, "containers nested more than " + MAX_DEPTH + " deep");
        return depth;
    }

    private static int depth(Object o) {
        if (o instanceof Tuple t) return t.depth();
        if (o instanceof PickledList l) return l.depth;
        if (o instanceof PickledDict d) return d.depth;
        return 0;
    }

    private Object memoGet(int at, long index) {
        if (!memo.containsKey(index)) throw malformed(at, "memo entry " + index + " is missing");
        return memo.get(index);
    }

    private PickledDict dict(int at) {
        if (!(peek() instanceof PickledDict d)) throw malformed(at, "SETITEM on a " + kind(peek()));
        return d;
    }

    private PickledList list(int at) {
        if (!(peek() instanceof PickledList l)) throw malformed(at, "APPEND on a " + kind(peek()));
        return l;
    }

    private long integer(int at, Object o) {
        if (!(o instanceof Long v)) throw malformed(at, "expected an integer, found a " + kind(o));
        return v;
    }

    private long[] longs(int at, Object o) {
        if (!(o instanceof Tuple t)) throw malformed(at, "expected a tuple of integers, found a " + kind(o));
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) out[i] = integer(at, t.items().get(i));
        return out;
    }

    private Object peek() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw malformed(in.position() - 1, "stack is empty");
        return stack.get(stack.size() - 1);
    }

    private Object pop() {
        Object o = peek();
        stack.remove(stack.size() - 1);
        return o;
    }

    private List<Object> popN(int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) items[i] = pop();
        return Arrays.asList(items);
    }

    private List<Object> popMark() {
        int mark = stack.lastIndexOf(MARK);
        if (mark < 0) throw malformed(in.position() - 1, "no MARK on the stack");
        List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
        stack.subList(mark, stack.size()).clear();
        return items;
    }

    private InputException malformed(int at, String what) {
        return new InputException(where + ": malformed state dict pickle at byte " + at + ": " + what);
    }

    private static String kind(Object o) {
        if (o instanceof Global g) return Printable.quote(g.toString());
        if (o instanceof Tuple) return "tuple";
        if (o instanceof Map) return "dict";
        if (o instanceof List) return "list";
        if (o instanceof TensorRef) return "tensor";
        if (o instanceof StorageRef) return "storage";
        if (o == NONE) return "None";
        return o == null ? "nothing" : o.getClass().getSimpleName().toLowerCase();
    }
}
