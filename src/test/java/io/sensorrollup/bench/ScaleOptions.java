package io.sensorrollup.bench;

import io.sensorrollup.state.EngineConfig;
import io.sensorrollup.state.StateResources;

/**
 * The arguments of {@link ScaleBench}. The memory settings default to the production ones (application.properties'
 * defaults, which k8s/base/config.env repeats): write-back cache 48 MiB per partition, block cache 256 MiB and
 * write buffers 128 MiB shared by the pod.
 */
record ScaleOptions(int devices, String windows, int rate, int eventMinutes, int partitions, int intervalSeconds,
        int threads, int batch, boolean s3, long cachePerPartition, long blockCache, long writeBuffers, boolean restore,
        long maxWallSeconds) {

    static final String USAGE = "ScaleBench [--devices 1000000] [--windows 1m,5m,1h] [--rate 100000] [--event-minutes 15]"
            + " [--partitions 8] [--interval-s 60] [--threads CORES] [--batch 2000] [--store s3|file]"
            + " [--cache-per-partition 48M] [--block-cache 256M] [--write-buffers 128M] [--restore true|false]"
            + " [--max-wall-s S: stop at the first minute of event time past S s of wall time]";

    static ScaleOptions parse(String[] args) {
        int devices = 1_000_000;
        String windows = "1m,5m,1h";
        Integer rate = null;
        int eventMinutes = 15;
        int partitions = 8;
        int intervalSeconds = 60;
        int threads = Runtime.getRuntime().availableProcessors();
        // the source cuts batches at 2 000 messages (or 1 MiB)
        int batch = 2_000;
        boolean s3 = true;
        long cache = EngineConfig.DEFAULT_CACHE_BYTES;
        long blockCache = StateResources.DEFAULT_CACHE_BYTES;
        long writeBuffers = StateResources.DEFAULT_WRITE_BUFFER_BYTES;
        boolean restore = true;
        long maxWallSeconds = Long.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--devices" -> devices = Integer.parseInt(value);
                case "--windows" -> windows = value;
                case "--rate" -> rate = Integer.parseInt(value);
                case "--event-minutes" -> eventMinutes = Integer.parseInt(value);
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--interval-s" -> intervalSeconds = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--batch" -> batch = Integer.parseInt(value);
                case "--store" -> s3 = switch (value) {
                    case "s3" -> true;
                    case "file" -> false;
                    default -> throw new IllegalArgumentException("--store s3|file");
                };
                case "--cache-per-partition" -> cache = bytes(value);
                case "--block-cache" -> blockCache = bytes(value);
                case "--write-buffers" -> writeBuffers = bytes(value);
                case "--restore" -> restore = Boolean.parseBoolean(value);
                case "--max-wall-s" -> maxWallSeconds = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "\n" + USAGE);
            }
            i++;
        }
        // every device reports about every 10 s unless told otherwise
        int readingsPerSecond = rate != null ? rate : Math.max(1, devices / 10);
        if (devices < partitions || partitions < 1 || eventMinutes < 1 || readingsPerSecond < partitions) {
            throw new IllegalArgumentException("need devices >= partitions >= 1, rate >= partitions, event minutes >= 1");
        }
        return new ScaleOptions(devices, windows, readingsPerSecond, eventMinutes, partitions, intervalSeconds, threads,
                batch, s3, cache, blockCache, writeBuffers, restore, maxWallSeconds);
    }

    /** {@code 32M}, {@code 1G}, {@code 4096}: binary units, as Quarkus' MemorySize reads them. */
    static long bytes(String value) {
        char unit = Character.toUpperCase(value.charAt(value.length() - 1));
        int shift = switch (unit) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        return Long.parseLong(shift == 0 ? value : value.substring(0, value.length() - 1)) << shift;
    }
}
