package io.github.trm4j.train;

/**
 * One batch of training or evaluation rows, host side.
 *
 * @param size rows B
 * @param seqLen tokens S per row
 * @param inputs input tokens, row-major [B, S]
 * @param labels label tokens, row-major [B, S]; {@link #IGNORE} marks cells without supervision
 * @param puzzleIds puzzle-embedding row of each example [B]
 */
public record HostBatch(int size, int seqLen, int[] inputs, int[] labels, int[] puzzleIds) {
    /** The label of an unsupervised cell, as the official loader writes it (datasets store ignore_label_id). */
    public static final int IGNORE = -100;

    public HostBatch {
        if (inputs.length != (long) size * seqLen || labels.length != inputs.length || puzzleIds.length != size)
            throw new IllegalArgumentException("batch arrays do not match [" + size + ", " + seqLen + "]");
    }

    /** Rows [from, from+count) as their own batch (a micro-batch of slots). */
    public HostBatch rows(int from, int count) {
        int[] in = new int[count * seqLen];
        int[] lab = new int[count * seqLen];
        int[] ids = new int[count];
        System.arraycopy(inputs, from * seqLen, in, 0, in.length);
        System.arraycopy(labels, from * seqLen, lab, 0, lab.length);
        System.arraycopy(puzzleIds, from, ids, 0, count);
        return new HostBatch(count, seqLen, in, lab, ids);
    }
}
