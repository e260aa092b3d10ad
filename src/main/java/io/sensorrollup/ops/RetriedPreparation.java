package io.sensorrollup.ops;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Prepares one dependency on a thread of its own, again and again with a growing pause (capped), until it
 * succeeds or fails for good. Logs when the pause grows and then every {@link #REMINDER}, not every attempt;
 * the last error is there for health checks.
 */
final class RetriedPreparation {

    private static final Logger LOG = Logger.getLogger(RetriedPreparation.class);
    static final long FIRST_PAUSE_MILLIS = 250;
    static final long MAX_PAUSE_MILLIS = 30_000;
    private static final Duration REMINDER = Duration.ofMinutes(5);

    private final Dependency dependency;
    private final Predicate<Exception> isFinal;
    private final Runnable onFailedAttempt;
    private final CompletableFuture<Void> prepared = new CompletableFuture<>();
    private final Thread thread;
    private volatile String lastError = "";
    private volatile int attempts;

    /**
     * @param isFinal         failures not worth another attempt (a wrong configuration, a refused partition count)
     * @param onFailedAttempt called after each failed attempt (a metric)
     */
    RetriedPreparation(Dependency dependency, Predicate<Exception> isFinal, Runnable onFailedAttempt) {
        this.dependency = dependency;
        this.isFinal = isFinal;
        this.onFailedAttempt = onFailedAttempt;
        this.thread = new Thread(this::run, "prepare-" + dependency.name());
        thread.setDaemon(true);
    }

    /** Starts the attempts; completes when one succeeded, exceptionally with a final failure. */
    CompletableFuture<Void> start() {
        thread.start();
        return prepared;
    }

    void stop() {
        thread.interrupt();
    }

    boolean isPrepared() {
        return prepared.isDone() && !prepared.isCompletedExceptionally();
    }

    String lastError() {
        return lastError;
    }

    int attempts() {
        return attempts;
    }

    private void run() {
        long pause = FIRST_PAUSE_MILLIS;
        long loggedPause = 0;
        long lastLog = 0;
        while (true) {
            attempts++;
            try {
                dependency.prepare().run();
                LOG.infof("%s prepared at %s (attempt %d)", dependency.name(), dependency.endpoint(), attempts);
                prepared.complete(null);
                return;
            } catch (InterruptedException e) {
                prepared.completeExceptionally(e);
                return;
            } catch (Exception e) {
                if (isFinal.test(e)) {
                    prepared.completeExceptionally(e);
                    return;
                }
                lastError = String.valueOf(e.getMessage());
                onFailedAttempt.run();
                long now = System.nanoTime();
                if (pause != loggedPause || now - lastLog > REMINDER.toNanos()) {
                    LOG.warnf("%s at %s does not answer yet (%s): %d attempts so far, the next in %d ms", dependency.name(),
                            dependency.endpoint(), lastError, attempts, pause);
                    loggedPause = pause;
                    lastLog = now;
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                prepared.completeExceptionally(e);
                return;
            }
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
        }
    }
}
