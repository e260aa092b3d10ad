package io.sensorrollup.sink.runtime;

import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The stores whose tables are prepared, by sink name: start-up (or its retries, later) marks them, the drain asks. */
@Singleton
public class SinkPreparations {

    private final Set<String> prepared = ConcurrentHashMap.newKeySet();

    public void prepared(String sink) {
        prepared.add(sink);
    }

    public boolean isPrepared(String sink) {
        return prepared.contains(sink);
    }
}
