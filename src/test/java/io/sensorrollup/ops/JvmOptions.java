package io.sensorrollup.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM options the JVM image (src/main/docker/Dockerfile.jvm) starts with in a pod. Its run-java.sh
 * (jboss-container-images/openjdk) passes {@code ${JAVA_OPTS-<defaults> ${JAVA_OPTS_APPEND}}}: JAVA_OPTS, when set,
 * replaces the defaults and JAVA_OPTS_APPEND, and a pod's JAVA_OPTS_APPEND replaces the image's. The java
 * launcher puts JDK_JAVA_OPTIONS before the command line; of a flag given twice the last counts.
 */
final class JvmOptions {

    private static final Pattern ENV = Pattern.compile("(?m)^ENV\\s+(\\w+)=\"?([^\"\\n]*)\"?\\s*$");

    private JvmOptions() {
    }

    /** The image's environment: its ENV lines. */
    static Map<String, String> imageEnv(Path dockerfile) {
        Map<String, String> env = new HashMap<>();
        Matcher m = ENV.matcher(read(dockerfile));
        while (m.find()) {
            env.put(m.group(1), m.group(2));
        }
        return env;
    }

    /** Flag -> value ({@code -Xmx} -> {@code 896m}, {@code -XX:ExitOnOutOfMemoryError} -> {@code +}), last one counting. */
    static Map<String, String> effective(Map<String, String> image, Map<String, String> pod) {
        Map<String, String> env = new HashMap<>(image);
        env.putAll(pod);
        String ratio = env.getOrDefault("JAVA_MAX_MEM_RATIO", "80.0");
        String defaults = (ratio.equals("0") ? "" : "-XX:MaxRAMPercentage=" + ratio)
                + " -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError";
        String runJava = env.containsKey("JAVA_OPTS") ? env.get("JAVA_OPTS") : defaults + " " + env.getOrDefault("JAVA_OPTS_APPEND", "");
        Map<String, String> flags = new LinkedHashMap<>();
        for (String option : (env.getOrDefault("JDK_JAVA_OPTIONS", "") + " " + runJava).trim().split("\\s+")) {
            Matcher m = Pattern.compile("(-Xm[xs]|-Xss)(.+)|(-XX:)([+-])(\\w+)|(-XX:\\w+|-D[^=]+)=(.*)").matcher(option);
            if (!m.matches()) {
                flags.put(option, "");
            } else if (m.group(1) != null) {
                flags.put(m.group(1), m.group(2));
            } else if (m.group(3) != null) {
                flags.put(m.group(3) + m.group(5), m.group(4));
            } else {
                flags.put(m.group(6), m.group(7));
            }
        }
        return flags;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
