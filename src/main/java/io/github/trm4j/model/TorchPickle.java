package io.github.trm4j.model;

import io.github.trm4j.InputException;
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
 */
final class TorchPickle {
    /** A storage named by a persistent id {@code ('storage', type, key, location, numel)}. */
    record StorageRef(StoredDtype dtype, String key, String location, long numel) {}

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, ...)}: a strided view of a storage. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    private record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    private record Tuple(List<Object> items) {}

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
                throw new InputException(where + ": key '" + key + "' holds a " + kind(e.getValue()) + ", not a tensor");
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
                    case '(' -> stack.add(MARK);
                    case '0' -> pop();
                    case '1' -> popMark();
                    case '2' -> stack.add(peek());
                    case '}' -> stack.add(new LinkedHashMap<>());
                    case ']' -> stack.add(new ArrayList<>());
                    case ')' -> stack.add(new Tuple(List.of()));
                    case 't' -> stack.add(new Tuple(popMark()));
                    case 0x85, 0x86, 0x87 -> stack.add(new Tuple(popN(op - 0x84)));
                    case 'N' -> stack.add(NONE);
                    case 0x88 -> stack.add(Boolean.TRUE);
                    case 0x89 -> stack.add(Boolean.FALSE);
                    case 'J' -> stack.add((long) in.getInt());
                    case 'K' -> stack.add((long) (in.get() & 0xff));
                    case 'M' -> stack.add((long) (in.getShort() & 0xffff));
                    case 0x8a -> stack.add(long1(at));
                    case 'G' -> stack.add(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // big-endian
                    case 'X' -> stack.add(text(size(at, Integer.toUnsignedLong(in.getInt()))));
                    case 0x8c -> stack.add(text(in.get() & 0xff));
                    case 0x8d -> stack.add(text(size(at, in.getLong())));
                    case 'C' -> stack.add(bytes(in.get() & 0xff));
                    case 'B' -> stack.add(bytes(size(at, Integer.toUnsignedLong(in.getInt()))));
                    case 0x8e -> stack.add(bytes(size(at, in.getLong())));
                    case 'q' -> memo.put((long) (in.get() & 0xff), peek());
                    case 'r' -> memo.put(Integer.toUnsignedLong(in.getInt()), peek());
                    case 0x94 -> memo.put((long) memo.size(), peek());
                    case 'h' -> stack.add(memoGet(at, in.get() & 0xff));
                    case 'j' -> stack.add(memoGet(at, Integer.toUnsignedLong(in.getInt())));
                    case 'c' -> stack.add(global(line(), line()));
                    case 0x93 -> {
                        Object name = pop(), module = pop();
                        if (!(module instanceof String m) || !(name instanceof String n)) throw malformed(at, "STACK_GLOBAL needs two strings");
                        stack.add(global(m, n));
                    }
                    case 'Q' -> stack.add(persistentId(at, pop()));
                    case 'R' -> {
                        Object args = pop();
                        stack.add(reduce(at, pop(), args));
                    }
                    case 'b' -> {
                        pop(); // the state of BUILD: state_dict()'s _metadata attribute, not needed
                        if (!(peek() instanceof Map)) throw malformed(at, "BUILD on a " + kind(peek()));
                    }
                    case 's' -> {
                        Object value = pop(), key = pop();
                        dict(at).put(key, value);
                    }
                    case 'u' -> {
                        List<Object> items = popMark();
                        if (items.size() % 2 != 0) throw malformed(at, "SETITEMS with an odd number of values");
                        Map<Object, Object> d = dict(at);
                        for (int i = 0; i < items.size(); i += 2) d.put(items.get(i), items.get(i + 1));
                    }
                    case 'a' -> {
                        Object v = pop();
                        list(at).add(v);
                    }
                    case 'e' -> {
                        List<Object> items = popMark();
                        list(at).addAll(items);
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
            throw new InputException(where + ": pickle names " + g + ", which a tensor state dict never needs;"
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
                return new LinkedHashMap<>();
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

    private Object memoGet(int at, long index) {
        if (!memo.containsKey(index)) throw malformed(at, "memo entry " + index + " is missing");
        return memo.get(index);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(int at) {
        if (!(peek() instanceof Map)) throw malformed(at, "SETITEM on a " + kind(peek()));
        return (Map<Object, Object>) peek();
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(int at) {
        if (!(peek() instanceof ArrayList)) throw malformed(at, "APPEND on a " + kind(peek()));
        return (List<Object>) peek();
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
        if (o instanceof Global g) return g.toString();
        if (o instanceof Tuple) return "tuple";
        if (o instanceof Map) return "dict";
        if (o instanceof List) return "list";
        if (o instanceof TensorRef) return "tensor";
        if (o instanceof StorageRef) return "storage";
        if (o == NONE) return "None";
        return o == null ? "nothing" : o.getClass().getSimpleName().toLowerCase();
    }
}
