package dev.switchboard.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JoinTimelineTest {
    @Test
    void keepsTheFirstStampOfEachStageAndDescribesThemAfterCreation() {
        AtomicLong clock = new AtomicLong(5_000_000_000L);
        JoinTimeline timeline = new JoinTimeline("ep1", clock::get);
        clock.addAndGet(1_500_000); // 1.5 ms
        timeline.stamp(JoinTimeline.Stage.SETUP_STARTED);
        clock.addAndGet(2_000_000);
        timeline.stamp(JoinTimeline.Stage.SETUP_STARTED); // later stamps of a stage are ignored
        timeline.stamp(JoinTimeline.Stage.AGENT_READY);
        timeline.dtlsDatagram();
        timeline.dtlsDatagram();

        assertEquals(5_001_500_000L, timeline.at(JoinTimeline.Stage.SETUP_STARTED));
        assertEquals(0, timeline.at(JoinTimeline.Stage.DTLS_DONE));
        assertEquals("join-timeline ep1 created=5000000000 setup-start=+1.5 agent-ready=+3.5 first-check=- "
                + "check-answered=- ice-connected=- first-dtls=- dtls-done=- keys-installed=- dtls-in=2",
                timeline.describe());
    }
}
