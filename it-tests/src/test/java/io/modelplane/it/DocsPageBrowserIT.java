package io.modelplane.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The API docs page as a person uses it, in Debian's Chromium driven by Selenium (headless, no
 * network but this machine's): {@code /} leads to Swagger UI, which lists the contract's
 * operations; "Try it out" on {@code GET /api/health/ping} reaches the server and shows its answer;
 * with the platform PSK entered in the Authorize dialog, listing training jobs shows the job made
 * beforehand. A screenshot is saved as {@code target/docs-page.png}.
 *
 * <p>Skipped with a message when Chromium or its driver is absent, unless {@code
 * MODELPLANE_REQUIRE_BROWSER=true} (CI sets it), which makes their absence a failure.
 */
class DocsPageBrowserIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void theDocsPageRendersTheContractAndTriesOperationsAgainstTheServer(@TempDir Path profile)
      throws Exception {
    requireBrowser();
    try (ServerUnderTest server = ServerUnderTest.onH2("docs-browser", Map.of())) {
      // The browser talks to the server itself: the docs page's files are not API operations.
      String base = server.server().baseUrl();
      createJob(base, server.psk(), "browser-tour");

      WebDriver browser = chromium(profile);
      try {
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get(base + "/");
        wait.until(ExpectedConditions.urlToBe(base + "/docs/"));
        wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector(".opblock"), 0));

        // Every operation of the served contract is on the page.
        int operations = operationCount(base);
        List<WebElement> blocks = browser.findElements(By.cssSelector(".opblock"));
        assertThat(blocks).hasSize(operations);
        assertThat(browser.findElement(By.cssSelector(".info .title")).getText())
            .contains("Nx1 AI API"); // the contract's info.title
        assertThat(pathsShown(browser))
            .contains("/api/health/ping", "/api/automl/train/jobs", "/metrics");

        // Try it out without credentials: the server's answer is shown.
        WebElement ping = operation(browser, "get", "/api/health/ping");
        String pingAnswer = tryItOut(browser, wait, ping);
        assertThat(pingAnswer).contains("\"status\": \"ok\"").contains("\"version\"");
        assertThat(liveStatus(ping)).isEqualTo("200");

        // The platform PSK in the Authorize dialog, then an authenticated call.
        authorize(browser, wait, server.psk());
        WebElement list = operation(browser, "get", "/api/automl/train/jobs");
        String listAnswer = tryItOut(browser, wait, list);
        assertThat(liveStatus(list)).isEqualTo("200");
        assertThat(listAnswer).contains("browser-tour");

        screenshot(browser, list, "docs-page-authorized.png");
        screenshot(browser, ping, "docs-page.png");
      } finally {
        browser.quit();
      }
    }
  }

  private static void requireBrowser() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present && "true".equalsIgnoreCase(System.getenv("MODELPLANE_REQUIRE_BROWSER"))) {
      throw new IllegalStateException(
          "MODELPLANE_REQUIRE_BROWSER=true but "
              + CHROMIUM
              + " or "
              + CHROMEDRIVER
              + " is missing: apt-get install -y chromium chromium-driver");
    }
    assumeTrue(
        present,
        "Skipped: the docs page's browser test needs Debian's chromium and chromium-driver"
            + " (apt-get install -y chromium chromium-driver); set MODELPLANE_REQUIRE_BROWSER=true"
            + " to make their absence a failure");
  }

  /** Chromium headless with a fresh profile; the driver is given, Selenium Manager never runs. */
  private static WebDriver chromium(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1600",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static int operationCount(String base) throws Exception {
    String spec =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher ids = Pattern.compile("(?m)^\\s+operationId:").matcher(spec);
    int count = 0;
    while (ids.find()) {
      count++;
    }
    assertThat(count).isGreaterThan(10);
    return count;
  }

  private static List<String> pathsShown(WebDriver browser) {
    return browser.findElements(By.cssSelector(".opblock-summary-path")).stream()
        .map(path -> path.getAttribute("data-path"))
        .toList();
  }

  private static WebElement operation(WebDriver browser, String method, String path) {
    return browser.findElement(
        By.xpath(
            "//div[contains(@class,'opblock-"
                + method
                + "')][.//*[contains(@class,'opblock-summary-path') and @data-path='"
                + path
                + "']]"));
  }

  /** Opens the operation, presses "Try it out" and "Execute", and returns the shown answer. */
  private static String tryItOut(WebDriver browser, WebDriverWait wait, WebElement operation) {
    WebElement summary = operation.findElement(By.cssSelector(".opblock-summary-control"));
    scrollTo(browser, summary);
    summary.click();
    WebElement tryOut =
        wait.until(d -> operation.findElement(By.cssSelector("button.try-out__btn")));
    scrollTo(browser, tryOut);
    tryOut.click();
    WebElement execute = wait.until(d -> operation.findElement(By.cssSelector("button.execute")));
    scrollTo(browser, execute);
    execute.click();
    WebElement body =
        wait.until(
            d ->
                operation.findElements(By.cssSelector(".live-responses-table .microlight")).stream()
                    .filter(code -> !code.getText().isBlank())
                    .findFirst()
                    .orElse(null));
    scrollTo(browser, body);
    return body.getText();
  }

  private static String liveStatus(WebElement operation) {
    return operation
        .findElement(By.cssSelector(".live-responses-table .response .response-col_status"))
        .getText()
        .strip();
  }

  private static void authorize(WebDriver browser, WebDriverWait wait, String psk) {
    WebElement open = browser.findElement(By.cssSelector(".scheme-container button.authorize"));
    scrollTo(browser, open);
    open.click();
    WebElement form =
        wait.until(
            d ->
                d.findElement(
                    By.xpath(
                        "//div[contains(@class,'auth-container')][.//h4[contains(.,'APIKeyHeader')]]")));
    form.findElement(By.cssSelector("input")).sendKeys(psk);
    form.findElement(By.cssSelector("button.authorize")).click();
    wait.until(d -> form.findElements(By.cssSelector("button.btn-done")).size() > 0);
    // Logged in: the form now offers "Logout" for this scheme.
    assertThat(form.getText()).contains("Authorized");
    browser.findElement(By.cssSelector("button.btn-done")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".modal-ux")));
  }

  private static void scrollTo(WebDriver browser, WebElement element) {
    ((JavascriptExecutor) browser)
        .executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
  }

  private static void screenshot(WebDriver browser, WebElement focus, String name)
      throws Exception {
    scrollTo(browser, focus);
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Path target = BuiltJars.workDir().resolve(name);
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    System.out.println("[modelplane-it] docs page screenshot: " + target);
  }

  private static void createJob(String base, String psk, String name) throws Exception {
    HttpResponse<String> created =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/automl/train/jobs"))
                    .header("Authorization-PSK", psk)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            """
                            {"name": "%s", "domain": "docs", "owner": "ana",
                             "source_table": "crm.customers", "problem_type": "regression",
                             "label_column": "ltv", "trigger_now": false}
                            """
                                .formatted(name)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }
}
