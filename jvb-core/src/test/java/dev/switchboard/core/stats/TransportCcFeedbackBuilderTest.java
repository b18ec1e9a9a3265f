package dev.switchboard.core.stats;

import static dev.switchboard.core.rtcp.TransportCc.PacketResult.notReceived;
import static dev.switchboard.core.rtcp.TransportCc.PacketResult.received;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.rtcp.TransportCc;
import dev.switchboard.core.rtcp.TransportCc.PacketResult;
import dev.switchboard.core.testing.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransportCcFeedbackBuilderTest {
    private static final long SENDER = 0x11111111L;
    private static final long MEDIA = 0x22222222L;
    /** 1000 x 64 ms + 500 µs: reference time 1000, first delta 2 (x 250 µs). */
    private static final long T0 = 64_000_500L;

    /**
     * Packets 65534 .. 4 across the wrap: 0 and 3 missing, 1 late by 100 ms, 2 arriving 250 µs before 1.
     */
    static final byte[] FIRST = Hex.bytes(
            "af cd 0007", //   V=2 P=1 FMT=15 | PT=205 | length 7 (32 bytes)
            "11111111", //     sender SSRC (the bridge)
            "22222222", //     media SSRC
            "fffe 0007", //    base sequence number 65534 | packet status count 7
            "0003e8 00", //    reference time 1000 (x 64 ms = 64.000 s) | feedback packet count 0
            "d4a1", //         2-bit vector: small small none large large none small (65534 .. 4)
            "02", //           65534: 0.5 ms after the reference time
            "04", //           65535: +1 ms
            "0190", //         1: +100 ms, large (400)
            "ffff", //         2: -0.25 ms, large (-1)
            "14", //           4: +5 ms
            "000003"); //      padding, the last octet counts it

    /**
     * 3 arrives late (after the first feedback reported it missing), so the next feedback starts at 3 again and
     * re-reports 4; then 5.
     */
    static final byte[] SECOND = Hex.bytes(
            "af cd 0006", //   V=2 P=1 FMT=15 | PT=205 | length 6 (28 bytes)
            "11111111",
            "22222222",
            "0003 0003", //    base sequence number 3 | packet status count 3
            "0003eb 01", //    reference time 1003 (64.192 s) | feedback packet count 1
            "da00", //         2-bit vector: small large large
            "22", //           3: 64.2005 s, 8.5 ms after the reference (34)
            "fe87", //         4: 64.10625 s, -94.25 ms (-377)
            "017b", //         5: 64.201 s, +94.75 ms (379)
            "01"); //          padding

    @Test
    void writesHandCheckedFeedbackAcrossTheWrapWithLossReorderingAndALatePacket() throws Exception {
        TransportCcFeedbackBuilder builder = new TransportCcFeedbackBuilder();
        builder.onPacket(65534, T0);
        builder.onPacket(65535, T0 + 1_000);
        builder.onPacket(2, T0 + 100_750);
        builder.onPacket(1, T0 + 101_000);
        builder.onPacket(4, T0 + 105_750);
        assertEquals(7, builder.pendingPackets());

        byte[] out = new byte[1200];
        int length = builder.writeFeedback(out, 4, SENDER, MEDIA);
        assertEquals(Hex.of(FIRST), Hex.of(out, 4, length));
        assertEquals(0, builder.pendingPackets());
        assertEquals(0, builder.writeFeedback(out, 4, SENDER, MEDIA), "nothing pending");
        TransportCc parsed = TransportCc.parse(out, 4, length);
        assertEquals(List.of(received(65534, T0), received(65535, T0 + 1_000), notReceived(0),
                received(1, T0 + 101_000), received(2, T0 + 100_750), notReceived(3), received(4, T0 + 105_750)),
                parsed.packets());

        builder.onPacket(3, T0 + 200_000);
        builder.onPacket(5, T0 + 200_500);
        builder.onPacket(5, T0 + 300_000); // a duplicate: ignored
        length = builder.writeFeedback(out, 0, SENDER, MEDIA);
        assertEquals(Hex.of(SECOND), Hex.of(out, 0, length));
        assertEquals(List.of(received(3, T0 + 200_000), received(4, T0 + 105_750), received(5, T0 + 200_500)),
                TransportCc.parse(out, 0, length).packets());
    }

    @Test
    void sameBytesAsTheValueBuilderForRandomStreams() throws Exception {
        Random random = new Random(42);
        byte[] out = new byte[1200];
        for (int round = 0; round < 200; round++) {
            TransportCcFeedbackBuilder builder = new TransportCcFeedbackBuilder();
            int seq = random.nextInt(65536);
            long arrival = random.nextInt(1 << 30);
            List<PacketResult> received = new ArrayList<>();
            int n = 1 + random.nextInt(300);
            for (int i = 0; i < n; i++) {
                if (i == 0 || i == n - 1 || random.nextInt(6) != 0) {
                    builder.onPacket(seq, arrival);
                    received.add(received(seq, arrival));
                }
                seq = (seq + 1) & 0xFFFF;
                arrival += random.nextInt(8) == 0 ? random.nextInt(300_000) : random.nextInt(20_000);
            }
            int length = builder.writeFeedback(out, 0, SENDER, MEDIA);
            byte[] expected = new byte[1200];
            int expectedLength = TransportCc.build(SENDER, MEDIA, 0, received).serialize(expected, 0);
            assertArrayEquals(Arrays.copyOf(expected, expectedLength), Arrays.copyOf(out, length), "round " + round);
        }
    }

    @Test
    void longRunsAreSplitIntoFeedbackPacketsThatStayUnderTheLimit() throws Exception {
        TransportCcFeedbackBuilder builder = new TransportCcFeedbackBuilder();
        for (int i = 0; i < 1200; i++) {
            builder.onPacket(i, T0 + i * 1_000L);
        }
        assertFeedbackCovers(builder, new int[] {500, 500, 200});

        // every delta large (100 ms apart): the byte limit cuts earlier than the packet limit
        TransportCcFeedbackBuilder large = new TransportCcFeedbackBuilder();
        for (int i = 0; i < 600; i++) {
            large.onPacket(i, T0 + i * 100_000L);
        }
        byte[] out = new byte[2000];
        int covered = 0;
        int feedbacks = 0;
        while (large.pendingPackets() > 0) {
            int length = large.writeFeedback(out, 0, SENDER, MEDIA);
            assertTrue(length <= TransportCcFeedbackBuilder.MAX_FEEDBACK_LENGTH, "length " + length);
            TransportCc parsed = TransportCc.parse(out, 0, length);
            assertEquals(covered, parsed.baseSequenceNumber());
            assertEquals(feedbacks++, parsed.feedbackPacketCount());
            covered += parsed.packetStatusCount();
        }
        assertEquals(600, covered);
        assertTrue(feedbacks >= 2);
    }

    @Test
    void anArrivalGapTooLongForADeltaStartsANewFeedback() throws Exception {
        TransportCcFeedbackBuilder builder = new TransportCcFeedbackBuilder();
        builder.onPacket(10, T0);
        builder.onPacket(11, T0 + 9_000_000L); // 9 s later: more than a 16-bit delta (8.19 s) holds
        byte[] out = new byte[1200];
        TransportCc first = TransportCc.parse(out, 0, builder.writeFeedback(out, 0, SENDER, MEDIA));
        assertEquals(List.of(received(10, T0)), first.packets());
        assertEquals(1, builder.pendingPackets());
        TransportCc second = TransportCc.parse(out, 0, builder.writeFeedback(out, 0, SENDER, MEDIA));
        assertEquals(List.of(received(11, T0 + 9_000_000L)), second.packets());
    }

    @Test
    void tooOldPacketsAndJumpsPastTheHistory() throws Exception {
        TransportCcFeedbackBuilder builder = new TransportCcFeedbackBuilder();
        builder.onPacket(5000, T0);
        builder.onPacket(5000 - TransportCcFeedbackBuilder.HISTORY, T0 + 1_000); // too old
        assertEquals(1, builder.pendingPackets());
        builder.onPacket(5000 + TransportCcFeedbackBuilder.HISTORY + 10, T0 + 2_000); // a jump past the history
        assertEquals(1, builder.pendingPackets(), "only the new packet is reported");
        byte[] out = new byte[1200];
        TransportCc feedback = TransportCc.parse(out, 0, builder.writeFeedback(out, 0, SENDER, MEDIA));
        assertEquals(List.of(received(5000 + TransportCcFeedbackBuilder.HISTORY + 10, T0 + 2_000)), feedback.packets());
    }

    @Test
    void growsWhenTheUnflushedPacketsOrARunOfLossesOutgrowItAndStillReportsEveryOne() throws Exception {
        TransportCcFeedbackBuilder builder = new TransportCcFeedbackBuilder();
        assertEquals(TransportCcFeedbackBuilder.INITIAL_HISTORY, builder.capacity());
        for (int seq = 0; seq < 700; seq++) {
            builder.onPacket(seq, T0 + seq * 1_000L); // 700 packets, no feedback written in between
        }
        assertEquals(1024, builder.capacity());
        assertEquals(700, builder.pendingPackets(), "none overwritten");
        builder.onPacket(700 + 1300, T0 + 800_000); // 1,300 lost in a row: still within the largest history
        assertEquals(TransportCcFeedbackBuilder.HISTORY, builder.capacity());
        assertEquals(2001, builder.pendingPackets());
        byte[] out = new byte[1200];
        List<PacketResult> reported = new ArrayList<>();
        while (builder.pendingPackets() > 0) {
            reported.addAll(TransportCc.parse(out, 0, builder.writeFeedback(out, 0, SENDER, MEDIA)).packets());
        }
        assertEquals(2001, reported.size());
        assertEquals(received(699, T0 + 699_000), reported.get(699));
        assertEquals(notReceived(700), reported.get(700));
        assertEquals(received(2000, T0 + 800_000), reported.get(2000));
    }

    private static void assertFeedbackCovers(TransportCcFeedbackBuilder builder, int[] counts) throws Exception {
        byte[] out = new byte[1200];
        int base = 0;
        for (int i = 0; i < counts.length; i++) {
            TransportCc parsed = TransportCc.parse(out, 0, builder.writeFeedback(out, 0, SENDER, MEDIA));
            assertEquals(base, parsed.baseSequenceNumber());
            assertEquals(counts[i], parsed.packetStatusCount());
            assertEquals(i, parsed.feedbackPacketCount());
            assertTrue(parsed.packets().stream().allMatch(PacketResult::isReceived));
            base += counts[i];
        }
        assertEquals(0, builder.pendingPackets());
    }
}
