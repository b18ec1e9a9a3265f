package dev.switchboard.e2e;

import java.nio.file.Path;
import java.util.List;

/**
 * Debian's Chromium and chromedriver for the end-to-end tests.
 *
 * <p>{@link #launch} installs both on first use when they are missing ({@code apt-get update} then
 * {@code apt-get install chromium chromium-driver}), and fails with the apt output when that does not work:
 * these tests never skip.
 */
public final class Chromium {
    static final Path BINARY = Path.of("/usr/lib/chromium/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    /**
     * Flags for a headless browser with fake camera and microphone that is allowed to use 127.0.0.1 ICE
     * candidates. {@code --user-data-dir} is added per browser.
     */
    static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            "--allow-loopback-in-peer-connection",
            "--autoplay-policy=no-user-gesture-required",
            "--window-size=1280,800");

    private Chromium() {}

    /** Installs Chromium and chromedriver when either is missing; throws with apt's output when that fails. */
    public static void ensureInstalled() {
        Commands.ensureDebianPackages(List.of(BINARY, DRIVER), "chromium", "chromium-driver");
    }

    /** Starts a headless Chromium with a fresh profile; the label names it in failure messages. */
    static Browser launch(String label) {
        return launch(label, List.of());
    }

    static Browser launch(String label, List<String> extraFlags) {
        ensureInstalled();
        return Browser.start(label, extraFlags);
    }
}
