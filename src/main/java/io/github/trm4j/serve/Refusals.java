package io.github.trm4j.serve;

import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * Requests and connections the server turned away. They are counted, not logged one by one (a flood
 * would otherwise cost a log line per refusal and fill the log); {@link #logAndReset} writes one
 * summary line when there were any.
 */
final class Refusals {
    /** 503: all workers busy and the queue full. */
    final LongAdder busy = new LongAdder();
    /** 408: a body not received within the read timeout or slower than the minimum rate. */
    final LongAdder slow = new LongAdder();
    /** 429: connections over the per-address cap. */
    final LongAdder overCap = new LongAdder();
    /** Connections closed while stuck mid-request past the read timeout. */
    final LongAdder stalled = new LongAdder();

    void logAndReset(Logger log, long seconds) {
        long b = busy.sumThenReset(), s = slow.sumThenReset(), o = overCap.sumThenReset(), st = stalled.sumThenReset();
        if (b + s + o + st > 0)
            log.info("refused in the last {} s: {} busy (503), {} slow requests (408), {} connections over the per-address cap (429), {} stalled connections closed",
                    seconds, b, s, o, st);
    }
}
