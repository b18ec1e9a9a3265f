package dev.switchboard.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.BridgeConfig;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The real web client in headless Chromium against the signaling server with a fake media bridge: Chromium
 * must accept every answer the server builds, map received tracks to the right tiles, and renegotiate when a
 * participant leaves. (No media flows: the fake bridge's candidate leads nowhere.) Installs Chromium and
 * chromedriver when missing; never skips.
 */
class WebClientBrowserTest {
    private static final String CHROMIUM = "/usr/lib/chromium/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private static FakeMediaBridge bridge;
    private static SwitchboardServer server;
    private static ChromeDriver driver;
    private static Path profile;

    @BeforeAll
    static void start() throws Exception {
        dev.switchboard.e2e.Chromium.ensureInstalled(); // installs them when missing, fails loudly otherwise
        bridge = new FakeMediaBridge();
        server = SwitchboardServer.start(
                new ServerConfig("127.0.0.1", 0, BridgeConfig.loopbackDefaults().withUdpPort(0)), bridge);
        profile = Files.createTempDirectory("switchboard-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection",
                "--autoplay-policy=no-user-gesture-required");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void twoParticipantsSeeEachOtherAndALeaveRemovesTheTile() {
        String base = "http://127.0.0.1:" + server.httpPort() + "/";
        // Alice uses the join form
        driver.get(base);
        String alice = driver.getWindowHandle();
        assertTrue(driver.findElement(By.id("join-form")).isDisplayed());
        driver.findElement(By.id("room-input")).sendKeys("browser");
        driver.findElement(By.id("name-input")).sendKeys("Alice");
        driver.findElement(By.cssSelector("#join-form button")).click();
        waitFor(() -> js("return window.switchboard && window.switchboard.endpointId") != null);
        String aliceId = (String) js("return window.switchboard.endpointId");
        assertTrue(driver.getCurrentUrl().contains("room=browser"), driver.getCurrentUrl());

        // Bob uses a URL; his name is shown on Alice's tile for him
        driver.switchTo().newWindow(WindowType.TAB);
        String bob = driver.getWindowHandle();
        driver.get(base + "?room=browser&name=Bob");
        waitFor(() -> js("return window.switchboard && window.switchboard.endpointId") != null);
        String bobId = (String) js("return window.switchboard.endpointId");
        assertNotEquals(aliceId, bobId);

        // each receives the other's audio and video on the tile of the right participant
        for (String[] side : new String[][] {{bob, aliceId, "Alice"}, {alice, bobId, "Bob"}}) {
            driver.switchTo().window(side[0]);
            String id = side[1];
            waitFor(() -> Long.valueOf(2).equals(js(
                    "const v = document.querySelector('video[data-remote][data-endpoint-id=\"" + id + "\"]');"
                            + "return v && v.srcObject ? v.srcObject.getTracks().length : 0;")));
            assertEquals(side[2], driver.findElement(
                    By.cssSelector(".tile[data-endpoint-id=\"" + id + "\"] .name")).getText());
            waitFor(() -> "stable".equals(js("return window.switchboard.pc.signalingState")));
            assertEquals(Map.of("id", id, "name", side[2]),
                    js("return window.switchboard.participants['" + id + "']"));
            assertNotEquals("error", js("return document.getElementById('status').dataset.state"),
                    driver.findElement(By.id("status")).getText());
            assertTrue((Boolean) js("return document.querySelector('video[data-local]').srcObject != null"));
            @SuppressWarnings("unchecked")
            List<String> kinds = (List<String>) js(
                    "return window.switchboard.pc.getTransceivers().filter(t => t.currentDirection === 'recvonly')"
                            + ".map(t => t.receiver.track.kind).sort()");
            assertEquals(List.of("audio", "video"), kinds);
        }

        // Bob closes his tab: Alice's tile for him goes, her receivers for him are stopped and renegotiated
        driver.switchTo().window(bob);
        driver.close();
        driver.switchTo().window(alice);
        waitFor(() -> driver.findElements(By.cssSelector(".tile[data-endpoint-id=\"" + bobId + "\"]")).isEmpty());
        waitFor(() -> Long.valueOf(0).equals(js(
                "return window.switchboard.pc.getTransceivers().filter(t => t.currentDirection === 'recvonly').length")));
        waitFor(() -> "stable".equals(js("return window.switchboard.pc.signalingState")));
        assertEquals(Map.of(), js("return window.switchboard.participants"));
        assertNotEquals("error", js("return document.getElementById('status').dataset.state"));
        assertTrue(bridge.calls.contains("remove " + bobId), bridge.calls.toString());
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> condition.getAsBoolean());
    }
}
