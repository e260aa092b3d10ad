package io.sensorrollup.ops;

/** Why a dependency failed, as logs and health show it: each distinct message of the cause chain, outermost first. */
final class Reasons {

    private Reasons() {
    }

    /** E.g. "SSL Problem <- PKIX path building failed: ... unable to find valid certification path to requested target". */
    static String of(Throwable failure) {
        StringBuilder reason = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && !message.isBlank() && reason.indexOf(message) < 0) {
                reason.append(reason.length() == 0 ? "" : " <- ").append(message);
            }
        }
        return reason.length() == 0 ? failure.getClass().getSimpleName() : reason.toString();
    }
}
