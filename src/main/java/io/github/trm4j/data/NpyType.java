package io.github.trm4j.data;

/** The numpy dtypes that datasets and traces use, with their {@code descr} strings (little-endian). */
public enum NpyType {
    BOOL("|b1", 1), INT8("|i1", 1), UINT8("|u1", 1), INT16("<i2", 2), INT32("<i4", 4), INT64("<i8", 8),
    FLOAT32("<f4", 4), FLOAT64("<f8", 8);

    final String descr;
    final int size;

    NpyType(String descr, int size) {
        this.descr = descr;
        this.size = size;
    }

    public int size() {
        return size;
    }

    public boolean isInteger() {
        return this != FLOAT32 && this != FLOAT64;
    }

    /** Parses a numpy descr such as {@code <i4}, {@code |u1}, {@code >f8}; null if unsupported. */
    static NpyType ofDescr(String descr) {
        if (descr.length() < 3) return null;
        String kind = descr.substring(1);
        for (NpyType t : values()) if (t.descr.substring(1).equals(kind)) return t;
        return null;
    }
}
