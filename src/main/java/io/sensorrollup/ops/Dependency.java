package io.sensorrollup.ops;

/**
 * A server the service needs: how to prepare it at start-up (create the bucket, database or topic
 * when missing) and how to ask it, for real, whether it answers.
 */
public record Dependency(String name, String endpoint, Action prepare, Action ping) {

    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }
}
