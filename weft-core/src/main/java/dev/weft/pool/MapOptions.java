package dev.weft.pool;

import dev.weft.internal.Args;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How {@link Pool#map} and {@link Pool#imap} cut and pace their work: made by {@link #builder()}.
 * An option not set is chosen automatically.
 *
 * <pre>{@code
 * pool.map(fn, items, MapOptions.builder().chunkSize(10).progress(bar::update).build());
 * }</pre>
 */
public final class MapOptions {
    /** Automatic chunks and pacing, no progress. */
    static final MapOptions DEFAULTS = builder().build();

    /** 0: automatic. */
    final int chunkSize;
    /** 0: automatic. */
    final int maxInFlight;
    final @Nullable Progress progress;

    private MapOptions(Builder b) {
        this.chunkSize = b.chunkSize;
        this.maxInFlight = b.maxInFlight;
        this.progress = b.progress;
    }

    /** Options with every setting automatic; set those you want, then {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "MapOptions[chunkSize=" + (chunkSize == 0 ? "auto" : chunkSize) + ", maxInFlight="
                + (maxInFlight == 0 ? "auto" : maxInFlight) + ", progress=" + (progress == null ? "none" : progress) + "]";
    }

    /** The settings of a {@link MapOptions}; each option checks its value at once. */
    public static final class Builder {
        private int chunkSize;
        private int maxInFlight;
        private @Nullable Progress progress;

        private Builder() {}

        /**
         * Items per task sent to a worker; at least 1. Default: as multiprocessing, about four chunks
         * per worker for {@code map}, 1 for the lazy {@code imap}.
         */
        public Builder chunkSize(int n) {
            this.chunkSize = Args.atLeast(n, 1, "chunkSize");
            return this;
        }

        /**
         * At most this many chunks submitted and not yet consumed by a lazy {@code imap} (bounds its
         * memory on huge inputs); at least 1. Default: four per worker.
         */
        public Builder maxInFlight(int n) {
            this.maxInFlight = Args.atLeast(n, 1, "maxInFlight");
            return this;
        }

        /** Told after each chunk. Default: nobody. */
        public Builder progress(Progress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** The options. */
        public MapOptions build() {
            return new MapOptions(this);
        }
    }
}
