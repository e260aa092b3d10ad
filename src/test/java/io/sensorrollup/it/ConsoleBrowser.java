package io.sensorrollup.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver (dev/install-prerequisites installs both): both
 * paths are given, so Selenium Manager never tries to download a driver or a browser, and the browser runs with a
 * profile of its own and without any background network traffic.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final ChromeDriver driver;
    private final Path profile;

    private ConsoleBrowser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    static ConsoleBrowser open(String url) throws IOException {
        for (String binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IllegalStateException(binary + " is missing: dev/install-prerequisites installs chromium and"
                        + " chromium-driver");
            }
        }
        Path profile = Files.createTempDirectory("console-it-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.get(url);
        return new ConsoleBrowser(driver, profile);
    }

    /** Goes to a page of the console ({@code #partitions}, …) as its menu does. */
    void page(String name) {
        driver.findElement(By.cssSelector("nav a[href='#" + name + "']")).click();
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /**
     * The text of every element {@code css} matches, read in one script: the console re-renders its tables on every
     * refresh, and cells found first and read one by one afterwards can be gone by then (stale elements).
     */
    @SuppressWarnings("unchecked")
    List<String> texts(String css) {
        return (List<String>) driver.executeScript(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText.trim());", css);
    }

    WebElement one(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /** What the page's own error handler counted: scripts that failed. */
    String scriptErrors() {
        String errors = driver.findElement(By.tagName("body")).getDomAttribute("data-errors");
        return errors == null ? "0" : errors;
    }

    /** Saves what the browser shows to {@code target/<name>.png}. */
    Path screenshot(String name) throws IOException {
        Path png = Path.of("target", name + ".png");
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), png, StandardCopyOption.REPLACE_EXISTING);
        return png;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
