package io.github.trm4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.trm4j.model.Backend;
import io.github.trm4j.model.ModelConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real headless Chromium (Debian's chromium and chromium-driver, driven by Selenium
 * with explicit paths, so Selenium Manager never looks for or downloads a browser): generate a
 * Sudoku, solve it on the shipped model, see 81 digits, save a screenshot to
 * {@code target/serve-browser.png}; then choose the shipped maze model, get a 11×11 maze and solve it.
 *
 * <p>A missing browser FAILS the test, so CI cannot skip it silently ({@code .ci/run} installs
 * both packages). Opt out explicitly with {@code -Dtrm.skipBrowserTest=true}. Other paths:
 * {@code -Dtrm.chromium=...}, {@code -Dtrm.chromedriver=...}.
 */
class BrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("trm.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("trm.chromedriver", "/usr/bin/chromedriver"));

    /** A generous time limit: on a loaded 2-core machine one cold solve can take tens of seconds. */
    private static final Limits SLOW_MACHINE = Limits.defaults(2).withTimeLimit(Duration.ofSeconds(150));

    @Test
    void generatesAndSolvesASudokuInChromium() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String what = "headless browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (apt-get install -y chromium chromium-driver)";
            if (Boolean.getBoolean("trm.skipBrowserTest")) Assumptions.abort(what + "; skipped by -Dtrm.skipBrowserTest=true");
            fail(what + "; or skip it explicitly with -Dtrm.skipBrowserTest=true");
        }
        Backend.init();
        Path profile = Files.createTempDirectory("trm-chromium-");
        try (Serve.Running server = Serve.start(new Serve.Settings(List.of(), "127.0.0.1", 0, SLOW_MACHINE, io.github.trm4j.model.DtypeChoice.fixed(ModelConfig.ForwardDtype.FLOAT32, "test")))) {
            WebDriver driver = startChromium(profile);
            try {
                run(driver, server.url());
            } finally {
                driver.quit();
            }
        } finally {
            deleteTree(profile);
        }
    }

    private static WebDriver startChromium(Path profile) {
        // Selenium looks for DevTools bindings of this Chromium version; WebDriver needs none, so no warning.
        java.util.logging.Logger.getLogger("org.openqa.selenium.devtools").setLevel(java.util.logging.Level.SEVERE);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1400", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void run(WebDriver driver, String url) throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(180));
        driver.get(url);
        wait.until(d -> !d.findElements(By.cssSelector("#model option")).isEmpty());
        assertEquals("shipped-sudoku", driver.findElement(By.id("model")).getAttribute("value"));

        // Keyboard: type into the editor and move with the arrows.
        List<WebElement> editor = driver.findElements(By.cssSelector("#editor input.cell"));
        assertEquals(81, editor.size());
        editor.get(0).click();
        editor.get(0).sendKeys("5");
        assertEquals("1", driver.switchTo().activeElement().getAttribute("data-index"), "a digit moves to the next cell");
        driver.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
        assertEquals("10", driver.switchTo().activeElement().getAttribute("data-index"), "arrow down moves one row");
        assertEquals("5", editor.get(0).getAttribute("value"));

        WebElement givens = driver.findElement(By.id("givens"));
        givens.clear();
        givens.sendKeys("30");
        driver.findElement(By.id("generate")).click();
        wait.until(d -> d.findElement(By.id("status")).getText().startsWith("Generated"));
        long filled = editor.stream().filter(c -> !c.getAttribute("value").isEmpty()).count();
        assertEquals(30, filled, "the generated puzzle's givens fill the editor");

        driver.findElement(By.id("solve")).click();
        wait.until(d -> "done".equals(d.findElement(By.id("result-panel")).getAttribute("data-state")));
        List<WebElement> cells = driver.findElements(By.cssSelector("#board .cell"));
        assertEquals(81, cells.size());
        StringBuilder shown = new StringBuilder();
        for (WebElement c : cells) shown.append(c.getText());
        assertTrue(shown.toString().matches("[0-9]{81}"), "the board shows 81 digits: " + shown);
        int steps = Integer.parseInt(driver.findElement(By.id("step-slider")).getAttribute("max"));
        assertEquals(String.valueOf(steps), driver.findElement(By.id("board")).getAttribute("data-step"), "the animation ends on the last step");
        assertEquals(steps, driver.findElements(By.cssSelector("#chart .dot")).size(), "one chart point per step");
        assertTrue(driver.findElement(By.id("summary")).getText().contains("Exact solver"));

        Path shot = Path.of("target", "serve-browser.png");
        Files.createDirectories(shot.getParent());
        File png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(shot) > 10_000, "screenshot " + shot + " is " + Files.size(shot) + " bytes");

        // The shipped maze model: choosing it brings a fresh maze of its size (11x11), which it solves.
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("model"))).selectByValue("shipped-maze");
        wait.until(d -> d.findElement(By.id("status")).getText().startsWith("Generated a maze"));
        assertTrue(driver.findElement(By.id("model-info")).getText().endsWith("11×11 mazes"), driver.findElement(By.id("model-info")).getText());
        String[] rows = driver.findElement(By.id("maze-text")).getAttribute("value").split("\n");
        assertEquals(11, rows.length);
        for (String row : rows) assertEquals(11, row.length(), row);
        driver.findElement(By.id("solve")).click();
        wait.until(d -> d.findElement(By.id("status")).getText().startsWith("Solved"));
        wait.until(d -> "done".equals(d.findElement(By.id("result-panel")).getAttribute("data-state")));
        assertEquals(121, driver.findElements(By.cssSelector("#board .cell")).size());
        assertTrue(driver.findElement(By.id("summary")).getText().contains("shipped-maze"), driver.findElement(By.id("summary")).getText());
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
