package io.sensorrollup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sensorrollup.ops.dev.LocalServers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser (Debian's chromium, headless) against the packaged service under the simulator's
 * load, with reads needing credentials (rollup.api.read-auth): the page asks for them, then shows the eight partitions
 * RUNNING, a checkpoint row within one interval, a device's windows with their counts so far, takes and deletes a
 * savepoint with the token typed for each call, and with ClickHouse stopped its panel says down while the rest of the
 * page keeps working. Screenshots in target/.
 */
class ConsoleIT {

    private static final int PARTITIONS = 8;
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(10);
    /** The page's refresh period (3 s in console.js) and the requests of one refresh. */
    private static final Duration REFRESH = Duration.ofSeconds(5);
    private static final String DEVICE = "sensor_00007";
    private static final String TOKEN = UUID.randomUUID().toString();

    @Test
    void showsPartitionsCheckpointsADevicesWindowsAndAStoreDown() throws Exception {
        IsolatedRun run = IsolatedRun.create("console-it", PARTITIONS);
        Map<String, String> config = run.serviceConfig("pod-0");
        config.put("rollup.checkpoint.interval", CHECKPOINT_INTERVAL.toSeconds() + "s");
        config.put("rollup.api.read-auth", "true");
        config.put("rollup.api.token", TOKEN);
        LocalServers servers = LocalServersResource.servers();
        Map<String, String> env = servers.env();
        Corpus.createTopic(env.get("PULSAR_ADMIN_URL"), run.topic(), PARTITIONS);
        Process simulator = simulate(run, env);
        try (ServiceProcess service = ServiceProcess.start(run.id(), config);
                ConsoleBrowser browser = ConsoleBrowser.open(service.url("/#partitions"))) {
            Awaitility.await().atMost(REFRESH).ignoreExceptions().until(() -> browser.one("#auth").isDisplayed()
                    && browser.one("#partitions-problem").getText().contains("needs credentials for reads"));
            browser.screenshot("console-it-credentials");
            browser.one("#auth-token").sendKeys(TOKEN);
            browser.one("#auth button[type=submit]").click();
            assertEquals("", browser.one("#auth-token").getDomProperty("value"), "the field does not keep the token");
            awaitAllRunning(browser);
            assertEquals(Collections.nCopies(PARTITIONS, "pod-0"), column(browser, "#partitions-table tbody tr td:nth-child(2)"),
                    "this pod owns every partition");
            List<String> backlog = column(browser, "#partitions-table tbody tr td:nth-child(6)");
            assertTrue(backlog.stream().allMatch(b -> b.matches("\\d+")), "the broker's backlog of every partition: " + backlog);
            assertEquals("", browser.one("#partitions-problem").getText(), "the broker's statistics were read");
            browser.screenshot("console-it-partitions");

            browser.page("checkpoints");
            int rows = awaitMoreCheckpointRows(browser, 0);
            awaitMoreCheckpointRows(browser, rows);
            browser.screenshot("console-it-checkpoints");

            browser.page("device");
            browser.one("#device-id").sendKeys(DEVICE);
            browser.one("#device-lookup").click();
            Awaitility.await().atMost(REFRESH.multipliedBy(2)).ignoreExceptions().until(() ->
                    column(browser, "#device-windows td.message-count").stream().anyMatch(n -> Long.parseLong(n) > 0));
            browser.screenshot("console-it-device");

            takeAndDeleteASavepoint(browser);

            browser.page("overview");
            Awaitility.await().atMost(REFRESH.multipliedBy(3)).ignoreExceptions()
                    .until(() -> browser.one("#dep-clickhouse").getText().equals("clickhouse: up"));
            try {
                servers.down("clickhouse");
                Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> browser.one("#dep-clickhouse").getText().equals("clickhouse: down"));
                browser.screenshot("console-it-clickhouse-down");
                assertEquals("pulsar: up", browser.one("#dep-pulsar").getText(), "the other servers' panels stay as they are");
                assertEquals("", browser.one("#overview-problem").getText(), "the overview does not need ClickHouse");
                awaitAllRunning(browser);
                browser.page("device");
                Awaitility.await().atMost(REFRESH.multipliedBy(3)).ignoreExceptions()
                        .until(() -> browser.one("#device-rows-problem").getText().contains("clickhouse did not answer"));
                assertTrue(!browser.all("#device-windows tbody tr").isEmpty(), "the windows in state need no ClickHouse");
                browser.screenshot("console-it-device-clickhouse-down");
            } finally {
                servers.up("clickhouse");
            }
            assertEquals("0", browser.scriptErrors(), "no script of the page failed");
            System.out.printf("ConsoleIT: read credentials asked for, %d partitions RUNNING, checkpoint rows every interval,"
                    + " %s's windows shown, a savepoint taken and deleted, ClickHouse down shown and the rest working;"
                    + " screenshots in target/console-it-*.png%n", PARTITIONS, DEVICE);
        } finally {
            simulator.destroy();
            simulator.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Every partition runs on this pod, so the savepoint is complete at once; the token is typed for each call. */
    private static void takeAndDeleteASavepoint(ConsoleBrowser browser) {
        browser.page("savepoints");
        browser.one("#savepoint-name").sendKeys("console-it");
        browser.one("#savepoint-token").sendKeys(TOKEN);
        browser.one("#savepoint-form button[type=submit]").click();
        assertEquals("", browser.one("#savepoint-token").getDomProperty("value"), "the token is not kept");
        Awaitility.await().atMost(Duration.ofSeconds(40)).ignoreExceptions()
                .until(() -> browser.one("#savepoint-answer").getText().startsWith("savepoint console-it is complete"));
        Awaitility.await().atMost(REFRESH).ignoreExceptions()
                .until(() -> column(browser, "#savepoints-table tbody td:first-child").contains("console-it"));
        browser.one("#savepoint-token").sendKeys(TOKEN);
        // the table is drawn anew at every refresh: a button found just before one is gone
        Awaitility.await().atMost(REFRESH).ignoreExceptions().until(() -> {
            browser.one("#savepoints-table tbody button").click();
            return true;
        });
        Awaitility.await().atMost(REFRESH).ignoreExceptions()
                .until(() -> browser.one("#savepoint-answer").getText().equals("savepoint console-it deleted")
                        && !column(browser, "#savepoints-table tbody td:first-child").contains("console-it"));
    }

    private static void awaitAllRunning(ConsoleBrowser browser) {
        browser.page("partitions");
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                column(browser, "#partitions-table td.state").equals(Collections.nCopies(PARTITIONS, "RUNNING")));
    }

    /** Waits one checkpoint interval (and a refresh of the page) for more checkpoint rows than {@code before}. */
    private static int awaitMoreCheckpointRows(ConsoleBrowser browser, int before) {
        return Awaitility.await().atMost(CHECKPOINT_INTERVAL.plus(REFRESH)).ignoreExceptions()
                .until(() -> browser.all("#checkpoints-table tbody tr").size(), n -> n > before);
    }

    private static List<String> column(ConsoleBrowser browser, String css) {
        return browser.texts(css);
    }

    /** The simulator at a modest rate, stamping readings with the wall clock, on the run's own topic. */
    private static Process simulate(IsolatedRun run, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("dev/simulate", "--topic", run.topic(), "--devices", "200", "--rate", "2000",
                "--seconds", "180").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", run.id() + "-simulate.log").toFile()));
        builder.environment().putAll(env);
        return builder.start();
    }
}
