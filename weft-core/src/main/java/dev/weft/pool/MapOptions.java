package dev.weft.pool;

/**
 * How {@link Pool#map} and {@link Pool#imap} cut and pace their work.
 *
 * @param chunkSize items per task sent to a worker; 0: chosen automatically (as multiprocessing: about
 *     four chunks per worker for {@code map}; 1 for the lazy {@code imap})
 * @param maxInFlight at most this many chunks submitted and not yet consumed by a lazy {@code imap}
 *     (bounds its memory on huge inputs); 0: four per worker
 * @param progress told after each chunk, or null
 */
public record MapOptions(int chunkSize, int maxInFlight, Progress progress) {
    public MapOptions {
        if (chunkSize < 0) {
            throw new IllegalArgumentException("chunkSize must be >= 0 (0: automatic), got " + chunkSize);
        }
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("maxInFlight must be >= 0 (0: automatic), got " + maxInFlight);
        }
    }

    /** Automatic chunks and pacing, no progress. */
    public static MapOptions defaults() {
        return new MapOptions(0, 0, null);
    }

    public MapOptions withChunkSize(int n) {
        return new MapOptions(n, maxInFlight, progress);
    }

    public MapOptions withMaxInFlight(int n) {
        return new MapOptions(chunkSize, n, progress);
    }

    public MapOptions withProgress(Progress p) {
        return new MapOptions(chunkSize, maxInFlight, p);
    }
}
