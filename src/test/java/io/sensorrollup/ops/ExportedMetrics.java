package io.sensorrollup.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The names under which Prometheus scrapes the service's meters: every meter src/main registers, found by its
 * registration call, registered again with its type into Micrometer's Prometheus registry and scraped, so the
 * names ({@code _total}, {@code _seconds_count}, ...) are the registry's own. A {@code "rollup.…"} literal in a
 * class that uses Micrometer and that no registration pattern explains fails, so a meter registered some other
 * way cannot drop out of the set unnoticed. PipelineIT checks the same names against a running service.
 */
final class ExportedMetrics {

    private static final Pattern REGISTRATION = Pattern.compile(
            "(Counter\\.builder\\(|Timer\\.builder\\(|Gauge\\.builder\\(|\\bcounter\\(\\w+, \\w+,|\\.gauge\\((?:\\w+, )?)\\s*\"(rollup(?:\\.[a-z]+)+)\"");
    private static final Pattern METER_NAME = Pattern.compile("\"(rollup(?:\\.[a-z]+)+)\"");
    /** A meter read back by name (the console's history): it must be one that some file registers. */
    private static final Pattern READ = Pattern.compile("\\.find\\(\"(rollup(?:\\.[a-z]+)+)\"\\)");

    private ExportedMetrics() {
    }

    static Set<String> of(Path sources) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Set<String> registeredAnywhere = new TreeSet<>();
        Set<String> read = new TreeSet<>();
        for (Path file : javaFiles(sources)) {
            String code = read(file);
            if (!code.contains("io.micrometer")) {
                continue;
            }
            Set<String> registered = new TreeSet<>();
            Matcher m = REGISTRATION.matcher(code);
            while (m.find()) {
                register(registry, m.group(1), m.group(2), code.substring(m.end(), registrationEnd(code, m.end())));
                registered.add(m.group(2));
            }
            registeredAnywhere.addAll(registered);
            Matcher reads = READ.matcher(code);
            while (reads.find()) {
                read.add(reads.group(1));
                registered.add(reads.group(1));
            }
            Matcher literal = METER_NAME.matcher(code);
            while (literal.find()) {
                if (!registered.contains(literal.group(1))) {
                    throw new AssertionError(file + ": cannot tell how " + literal.group(1) + " is registered");
                }
            }
        }
        read.removeAll(registeredAnywhere);
        if (!read.isEmpty()) {
            throw new AssertionError("meters read by name that nothing registers: " + read);
        }
        return registry.scrape().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void register(PrometheusMeterRegistry registry, String call, String name, String rest) {
        if (call.startsWith("Counter") || call.startsWith("counter")) {
            Counter.builder(name).register(registry);
        } else if (call.startsWith("Timer")) {
            Timer.Builder timer = Timer.builder(name);
            if (rest.contains("publishPercentileHistogram")) {
                timer.publishPercentileHistogram();
            }
            timer.register(registry);
        } else {
            Gauge.builder(name, () -> 1).register(registry);
        }
    }

    /** Where the builder's chain ends: its register(...) call. */
    private static int registrationEnd(String code, int from) {
        int end = code.indexOf(".register(", from);
        return end < 0 ? from : end;
    }

    private static List<Path> javaFiles(Path sources) {
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
