package dev.switchboard.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MediaSourceTest {
    @Test
    void singleStreamVideoCarriesBothRtxSsrcs() {
        MediaSource video = MediaSource.video(10, 11, 12);
        assertEquals(10, video.primarySsrc());
        assertEquals(List.of(10L), video.ssrcs(), "the sender's RTX SSRC is not one of the source's SSRCs");
        assertEquals(11, video.rtxSsrc());
        assertEquals(12, video.rtxOutputSsrc());
        assertEquals(-1, MediaSource.video(10, -1, -1).rtxSsrc());
        assertEquals(-1, new MediaSource(MediaKind.VIDEO, List.of(10L)).rtxOutputSsrc());
    }

    @Test
    void rtxSsrcsAreOnlyForSingleStreamVideoAndDifferFromTheOthers() {
        assertThrows(IllegalArgumentException.class,
                () -> new MediaSource(MediaKind.AUDIO, List.of(1L), null, 2, -1), "audio");
        assertThrows(IllegalArgumentException.class, () -> new MediaSource(MediaKind.VIDEO, List.of(),
                new Simulcast(null, List.of("q"), 5), -1, 6), "simulcast has Simulcast.rtxOutputSsrc");
        assertThrows(IllegalArgumentException.class, () -> MediaSource.video(10, 10, -1), "RTX = primary");
        assertThrows(IllegalArgumentException.class, () -> MediaSource.video(10, -1, 10), "output RTX = primary");
        assertThrows(IllegalArgumentException.class, () -> MediaSource.video(10, 11, 11), "both RTX the same");
        assertThrows(IllegalArgumentException.class, () -> MediaSource.video(10, 0x1_0000_0000L, -1), "range");
        assertThrows(IllegalArgumentException.class, () -> MediaSource.video(10, -2, -1), "range");
    }
}
