package io.github.trm4j.dist;

import io.github.trm4j.InputException;
import java.util.Map;

/**
 * Where this process sits in a distributed run, read from the variables torchrun sets: {@code RANK},
 * {@code WORLD_SIZE}, {@code LOCAL_RANK}, {@code LOCAL_WORLD_SIZE}, {@code MASTER_ADDR},
 * {@code MASTER_PORT}. Rank 0 hosts the rendezvous store at MASTER_ADDR:MASTER_PORT.
 */
public record DistEnv(int rank, int worldSize, int localRank, int localWorldSize, String masterAddr, int masterPort) {
    public static final String RANK = "RANK";
    public static final String WORLD_SIZE = "WORLD_SIZE";
    public static final String LOCAL_RANK = "LOCAL_RANK";
    public static final String LOCAL_WORLD_SIZE = "LOCAL_WORLD_SIZE";
    public static final String MASTER_ADDR = "MASTER_ADDR";
    public static final String MASTER_PORT = "MASTER_PORT";

    public DistEnv {
        if (worldSize < 1) throw new InputException(WORLD_SIZE + ": must be at least 1, got " + worldSize);
        if (rank < 0 || rank >= worldSize)
            throw new InputException(RANK + ": " + rank + " is outside 0.." + (worldSize - 1) + " (" + WORLD_SIZE + " " + worldSize + ")");
        if (localWorldSize < 1 || localRank < 0 || localRank >= localWorldSize)
            throw new InputException(LOCAL_RANK + " " + localRank + " / " + LOCAL_WORLD_SIZE + " " + localWorldSize + ": not a valid local rank");
        if (masterPort < 1 || masterPort > 65535) throw new InputException(MASTER_PORT + ": " + masterPort + " is not a TCP port");
    }

    /**
     * The distributed setting of this process, or null when neither RANK nor WORLD_SIZE is set (a
     * plain single-process run). When one is set, all of RANK, WORLD_SIZE, MASTER_ADDR and
     * MASTER_PORT must be; LOCAL_RANK defaults to RANK and LOCAL_WORLD_SIZE to WORLD_SIZE.
     */
    public static DistEnv fromEnvironment(Map<String, String> env) {
        if (env.get(RANK) == null && env.get(WORLD_SIZE) == null) return null;
        int world = number(env, WORLD_SIZE, null);
        int rank = number(env, RANK, null);
        String addr = env.get(MASTER_ADDR);
        if (addr == null || addr.isBlank()) throw new InputException(MASTER_ADDR + ": not set (the host of rank 0)");
        return new DistEnv(rank, world, number(env, LOCAL_RANK, rank), number(env, LOCAL_WORLD_SIZE, world), addr.trim(),
                number(env, MASTER_PORT, null));
    }

    /** Intra-op threads for this worker: the cores shared by the workers of this node. */
    public int threads(int cores) {
        return Math.max(1, cores / localWorldSize);
    }

    /** True when the rendezvous host is this machine's loopback (all ranks on one node over 127.0.0.1). */
    boolean loopback() {
        return masterAddr.equals("localhost") || masterAddr.startsWith("127.") || masterAddr.equals("::1");
    }

    private static int number(Map<String, String> env, String key, Integer fallback) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            if (fallback != null) return fallback;
            throw new InputException(key + ": not set (a distributed run needs RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT)");
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InputException(key + ": '" + v + "' is not an integer");
        }
    }
}
