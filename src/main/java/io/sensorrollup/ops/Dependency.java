package io.sensorrollup.ops;

/**
 * A server the service needs: how to prepare it at start-up (create the bucket, database or topic
 * when missing) and how to ask it, for real, whether it answers.
 */
public record Dependency(String name, String endpoint, Action prepare, Action ping) {

    private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("(://)[^/@?#]*@");
    private static final java.util.regex.Pattern SECRET_PARAMETER =
            java.util.regex.Pattern.compile("(?i)([?&](?:password|pass|secret|token|key)[^=&]*=)[^&#]*");

    /** The endpoint as logs and health show it: a user and password or a secret parameter in the URL left out. */
    public Dependency {
        endpoint = SECRET_PARAMETER.matcher(USER_INFO.matcher(endpoint).replaceAll("$1")).replaceAll("$1***");
    }

    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }
}
