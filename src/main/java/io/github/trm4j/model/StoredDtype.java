package io.github.trm4j.model;

import java.util.Optional;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Element types a checkpoint file can hold, with their safetensors names and sizes. All are stored
 * little-endian. {@link #scalarType()} is the only place that touches libtorch, so header-only
 * reads work before {@link Backend#init()}.
 */
public enum StoredDtype {
    F32("F32", 4),
    BF16("BF16", 2),
    F16("F16", 2),
    F64("F64", 8),
    I64("I64", 8),
    I32("I32", 4),
    I16("I16", 2),
    I8("I8", 1),
    U8("U8", 1),
    BOOL("BOOL", 1);

    private final String safetensorsName;
    private final int bytes;

    StoredDtype(String safetensorsName, int bytes) {
        this.safetensorsName = safetensorsName;
        this.bytes = bytes;
    }

    /** The dtype string in a safetensors header, e.g. {@code "BF16"}. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** True for the floating-point types, which a reader may widen to fp32. */
    public boolean isFloat() {
        return this == F32 || this == BF16 || this == F16 || this == F64;
    }

    public static Optional<StoredDtype> ofSafetensorsName(String name) {
        for (StoredDtype d : values()) if (d.safetensorsName.equals(name)) return Optional.of(d);
        return Optional.empty();
    }

    /** The libtorch element type. */
    public ScalarType scalarType() {
        return switch (this) {
            case F32 -> ScalarType.Float;
            case BF16 -> ScalarType.BFloat16;
            case F16 -> ScalarType.Half;
            case F64 -> ScalarType.Double;
            case I64 -> ScalarType.Long;
            case I32 -> ScalarType.Int;
            case I16 -> ScalarType.Short;
            case I8 -> ScalarType.Char;
            case U8 -> ScalarType.Byte;
            case BOOL -> ScalarType.Bool;
        };
    }

    /**
     * The stored type of a libtorch element type; empty for types no checkpoint holds. (JavaCPP
     * returns non-canonical enum instances from native calls, hence {@code intern()}.)
     */
    public static Optional<StoredDtype> of(ScalarType t) {
        ScalarType canonical = t.intern();
        for (StoredDtype d : values()) if (d.scalarType() == canonical) return Optional.of(d);
        return Optional.empty();
    }

    /** Bytes taken by a tensor of this type and shape; throws ArithmeticException on overflow. */
    long byteLength(long[] shape) {
        long n = bytes;
        for (long s : shape) n = Math.multiplyExact(n, s);
        return n;
    }
}
