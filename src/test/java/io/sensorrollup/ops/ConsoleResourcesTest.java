package io.sensorrollup.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every file the console's page loads is served from the classpath: its own files and the chart library's webjar,
 * whose version is written in the page (a version bump in the pom alone would leave the page without charts).
 */
class ConsoleResourcesTest {

    private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"([^\"#][^\"]*)\"");

    @Test
    void everyFileThePageLoadsIsOnTheClasspath() throws IOException {
        List<String> references = new ArrayList<>();
        Matcher m = REFERENCE.matcher(resource("index.html"));
        while (m.find()) {
            references.add(m.group(1));
        }
        assertTrue(references.stream().anyMatch(r -> r.startsWith("webjars/uplot/")), "the page loads uPlot: " + references);
        List<String> missing = references.stream()
                .filter(r -> getClass().getClassLoader().getResource("META-INF/resources/" + r) == null).toList();
        assertEquals(List.of(), missing, "referenced by index.html, not served");
    }

    private String resource(String path) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/resources/" + path)) {
            assertTrue(in != null, path + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
