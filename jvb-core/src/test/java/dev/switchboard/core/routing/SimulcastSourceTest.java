package dev.switchboard.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.core.api.Simulcast;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layer choice from constraints, keyframe heights and layer activity, with an injected time (no clock at all). */
class SimulcastSourceTest {
    private static final long MS = 1_000_000L;

    private final SimulcastSource source = new SimulcastSource(null, new Simulcast("1", List.of("q", "h", "f"), 7));

    @Test
    void beforeAnyKeyframeLayersAreAssumedToBe180And360And720() {
        for (int layer = 0; layer < 3; layer++) {
            source.setLayerSsrc(layer, 100 + layer);
            source.onPacket(layer, 0, -1);
        }
        assertEquals(List.of(180, 360, 720), List.of(source.height(0), source.height(1), source.height(2)));
        assertEquals(0, source.select(180, 10 * MS));
        assertEquals(0, source.select(359, 10 * MS));
        assertEquals(1, source.select(360, 10 * MS));
        assertEquals(2, source.select(720, 10 * MS));
        assertEquals(2, source.select(4320, 10 * MS));
        assertEquals(0, source.select(90, 10 * MS), "nothing fits: the lowest layer");
    }

    @Test
    void keyframeHeightsReplaceTheAssumption() {
        int[] heights = {120, 240, 480}; // a 640x480 camera scaled down by 4, 2, 1
        for (int layer = 0; layer < 3; layer++) {
            source.setLayerSsrc(layer, 100 + layer);
            source.onPacket(layer, 0, heights[layer]);
        }
        assertEquals(1, source.select(360, 0));
        assertEquals(2, source.select(480, 0));
        assertEquals(0, source.select(180, 0));
    }

    @Test
    void onlyLayersWithAPacketWithinASecondAreChosen() {
        source.setLayerSsrc(0, 100);
        source.setLayerSsrc(1, 101);
        assertEquals(-1, source.select(720, 0), "no layer has sent anything");
        source.onPacket(0, 0, -1);
        source.onPacket(1, 0, -1);
        assertEquals(1, source.select(720, 500 * MS), "the top layer is unknown: the best of the others");
        source.onPacket(0, 900 * MS, -1);
        assertEquals(0, source.select(720, 1000 * MS), "h paused for a second: q");
        assertEquals(0, source.select(90, 1000 * MS));
        source.onPacket(1, 1100 * MS, -1);
        assertEquals(1, source.select(720, 1100 * MS), "h is back");
        assertEquals(-1, source.select(720, 3000 * MS), "everything paused");
    }
}
