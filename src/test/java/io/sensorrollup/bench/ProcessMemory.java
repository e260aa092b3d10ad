package io.sensorrollup.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's memory as the kernel and the JVM see it. */
record ProcessMemory(long rssBytes, long heapUsedBytes, long heapAfterGcBytes, long heapCommittedBytes) {

    static ProcessMemory now() {
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage lastCollection = pool.getCollectionUsage();
            if (pool.getType() == MemoryType.HEAP && lastCollection != null) {
                afterGc += lastCollection.getUsed();
            }
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new ProcessMemory(rss(), heap.getUsed(), afterGc, heap.getCommitted());
    }

    /** VmRSS of /proc/self/status. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
