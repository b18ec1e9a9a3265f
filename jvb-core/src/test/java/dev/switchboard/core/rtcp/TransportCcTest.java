package dev.switchboard.core.rtcp;

import static dev.switchboard.core.rtcp.TransportCc.PacketResult.notReceived;
import static dev.switchboard.core.rtcp.TransportCc.PacketResult.received;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.rtcp.TransportCc.PacketResult;
import dev.switchboard.core.testing.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransportCcTest {
    /**
     * Shaped like Chrome's feedback: 26 packets from 1000 with a loss, a late packet (large delta), a reordered
     * one (negative delta), a steady run, a burst of losses; chunks as libwebrtc encodes them; P bit padding.
     */
    static final byte[] TCC = Hex.bytes(
            "af cd 000c", //    V=2 P=1 FMT=15 (transport-cc) | PT=205 (RTPFB) | length=12 (52 bytes)
            "fa17fa17", //      SSRC of packet sender
            "6f2c3a1b", //      SSRC of media source
            "03e8 001a", //     base sequence number 1000 | packet status count 26
            "1a2b3c 07", //     reference time 0x1a2b3c (x 64 ms) | feedback packet count 7
            "d499", //          status vector, 2-bit: small small none large small large small (1000-1006)
            "200e", //          run length: small delta x 14 (1007-1020)
            "c010", //          status vector, 2-bit: none none none none small (1021-1025), 2 unused symbols
            "05 04", //         recv deltas 1000: 1.25 ms, 1001: 1 ms
            "012c", //          1003: large, 300 x 250 us = 75 ms
            "00", //            1004: 0 ms
            "fffc", //          1005: large, -4 x 250 us = -1 ms (arrived before 1004)
            "08", //            1006: 2 ms
            "1414141414141414141414141414", // 1007-1020: 5 ms each
            "ff", //            1025: 63.75 ms (the largest small delta)
            "000003"); //       padding, the last octet counts it

    static final long REFERENCE_US = 0x1a2b3cL * 64_000;

    static List<PacketResult> expectedPackets() {
        List<PacketResult> packets = new ArrayList<>();
        long t = REFERENCE_US;
        packets.add(received(1000, t += 1250));
        packets.add(received(1001, t += 1000));
        packets.add(notReceived(1002));
        packets.add(received(1003, t += 75_000));
        packets.add(received(1004, t));
        packets.add(received(1005, t -= 1000));
        packets.add(received(1006, t += 2000));
        for (int seq = 1007; seq <= 1020; seq++) {
            packets.add(received(seq, t += 5000));
        }
        for (int seq = 1021; seq <= 1024; seq++) {
            packets.add(notReceived(seq));
        }
        packets.add(received(1025, t + 63_750));
        return packets;
    }

    private static void assertFields(TransportCc tcc) {
        assertEquals(0xfa17fa17L, tcc.senderSsrc());
        assertEquals(0x6f2c3a1bL, tcc.mediaSsrc());
        assertEquals(1000, tcc.baseSequenceNumber());
        assertEquals(26, tcc.packetStatusCount());
        assertEquals(0x1a2b3c, tcc.referenceTime());
        assertEquals(REFERENCE_US, tcc.referenceTimeUs());
        assertEquals(7, tcc.feedbackPacketCount());
        assertEquals(TransportCc.SYMBOL_LARGE_DELTA, tcc.statusSymbol(3));
        assertEquals(TransportCc.SYMBOL_NOT_RECEIVED, tcc.statusSymbol(2));
        assertArrayEquals(new int[] {0xd499, 0x200e, 0xc010}, tcc.chunks());
        assertEquals(expectedPackets(), tcc.packets());
    }

    @Test
    void fixtureParsesSerializesAndBuilds() throws Exception {
        TransportCc parsed = TransportCc.parse(TCC, 0, TCC.length);
        assertFields(parsed);
        assertArrayEquals(TCC, RtcpRoundTrip.serialize(parsed));

        TransportCc built = TransportCc.build(0xfa17fa17L, 0x6f2c3a1bL, 7, REFERENCE_US, expectedPackets());
        assertFields(built);
        assertEquals(parsed, built);
        assertArrayEquals(TCC, RtcpRoundTrip.serialize(built), "same chunk choices as libwebrtc");
        // without an explicit reference time, the first arrival (rounded down to 64 ms) is used
        assertArrayEquals(TCC, RtcpRoundTrip.serialize(
                TransportCc.build(0xfa17fa17L, 0x6f2c3a1bL, 7, expectedPackets())));
    }

    @Test
    void allocationFreeWriterGivesTheFixtureBytes() throws Exception {
        TransportCc parsed = TransportCc.parse(TCC, 0, TCC.length);
        int count = parsed.packetStatusCount();
        byte[] symbols = new byte[count];
        int[] deltas = new int[count];
        long previous = REFERENCE_US;
        List<PacketResult> packets = expectedPackets();
        for (int i = 0; i < count; i++) {
            symbols[i] = (byte) parsed.statusSymbol(i);
            if (packets.get(i).isReceived()) {
                deltas[i] = (int) ((packets.get(i).arrivalTimeUs() - previous) / TransportCc.DELTA_UNIT_US);
                previous = packets.get(i).arrivalTimeUs();
            }
        }
        TransportCc.Writer writer = new TransportCc.Writer(64);
        byte[] out = new byte[TCC.length + 8];
        int length = writer.write(out, 5, 0xfa17fa17L, 0x6f2c3a1bL, 1000, 0x1a2b3c, 7, symbols, deltas, count);
        assertArrayEquals(TCC, java.util.Arrays.copyOfRange(out, 5, 5 + length));
        assertTrue(length <= TransportCc.Writer.maxLength(count, 14 + 1 + 1 + 2 + 1 + 2 + 1 + 1));
        // the writer is reusable: the same call again gives the same bytes
        assertEquals(length, writer.write(out, 5, 0xfa17fa17L, 0x6f2c3a1bL, 1000, 0x1a2b3c, 7, symbols, deltas,
                count));
        assertArrayEquals(TCC, java.util.Arrays.copyOfRange(out, 5, 5 + length));
    }

    @Test
    void oneBitStatusVector() throws Exception {
        // 14 packets, small deltas and losses only: one chunk 1|0|10110111111110
        boolean[] got = {true, false, true, true, false, true, true, true, true, true, true, true, true, false};
        List<PacketResult> packets = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < got.length; i++) {
            packets.add(got[i] ? received(i, t += 500) : notReceived(i));
        }
        TransportCc tcc = TransportCc.build(1, 2, 0, packets);
        assertArrayEquals(new int[] {0xadfe}, tcc.chunks());
        byte[] bytes = RtcpRoundTrip.serialize(tcc);
        assertEquals(packets, TransportCc.parse(bytes, 0, bytes.length).packets());
    }

    @Test
    void longRunsSplitAtTheRunLengthLimit() throws Exception {
        // 9000 packets, only the first and the last received: runs of 8191 and 807 "not received" between them
        List<PacketResult> packets = List.of(received(0, 1_000), received(8999 & 0xFFFF, 2_000));
        TransportCc tcc = TransportCc.build(1, 2, 0, packets);
        assertEquals(9000, tcc.packetStatusCount());
        byte[] bytes = RtcpRoundTrip.serialize(tcc);
        TransportCc parsed = TransportCc.parse(bytes, 0, bytes.length);
        List<PacketResult> all = parsed.packets();
        assertEquals(9000, all.size());
        assertTrue(all.get(0).isReceived() && all.get(8999).isReceived());
        assertEquals(8998, all.stream().filter(p -> !p.isReceived()).count());
        assertEquals(parsed, tcc);
    }

    @Test
    void sequenceNumbersWrapAround() throws Exception {
        List<PacketResult> packets = List.of(received(65534, 64_000), received(65535, 64_250), notReceived(0),
                received(1, 70_000));
        TransportCc tcc = TransportCc.build(1, 2, 255, packets);
        assertEquals(65534, tcc.baseSequenceNumber());
        assertEquals(4, tcc.packetStatusCount());
        byte[] bytes = RtcpRoundTrip.serialize(tcc);
        assertEquals(packets, TransportCc.parse(bytes, 0, bytes.length).packets());
    }

    @Test
    void gapsInTheInputAreNotReceived() {
        TransportCc tcc = TransportCc.build(1, 2, 0, List.of(received(10, 0), received(13, 1000)));
        assertEquals(List.of(received(10, 0), notReceived(11), notReceived(12), received(13, 1000)), tcc.packets());
    }

    @Test
    void randomFeedbackRoundTripsWithQuantizedTimes() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            int base = random.nextInt(65536);
            int n = 1 + random.nextInt(200);
            long arrival = random.nextInt(1 << 30);
            List<PacketResult> input = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int seq = (base + i) & 0xFFFF;
                if (random.nextInt(5) == 0 && i > 0) {
                    input.add(notReceived(seq));
                    continue;
                }
                int kind = random.nextInt(10);
                arrival += kind == 0 ? -random.nextInt(20_000) : kind == 1 ? random.nextInt(2_000_000)
                        : random.nextInt(30_000);
                input.add(received(seq, arrival));
            }
            TransportCc tcc = TransportCc.build(1, 2, round & 0xFF, input);
            byte[] bytes = RtcpRoundTrip.serialize(tcc);
            TransportCc parsed = TransportCc.parse(bytes, 0, bytes.length);
            assertEquals(tcc, parsed);
            assertArrayEquals(bytes, RtcpRoundTrip.serialize(parsed));
            List<PacketResult> output = parsed.packets();
            assertEquals(input.size(), output.size());
            for (int i = 0; i < input.size(); i++) {
                PacketResult in = input.get(i);
                PacketResult out = output.get(i);
                assertEquals(in.sequenceNumber(), out.sequenceNumber());
                assertEquals(in.isReceived(), out.isReceived());
                if (in.isReceived()) {
                    long error = in.arrivalTimeUs() - out.arrivalTimeUs();
                    assertTrue(error >= 0 && error < 250, "quantized down to 250 us, no drift: " + error);
                }
            }
        }
    }

    @Test
    void rejectsWhatCannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> TransportCc.build(1, 2, 0, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> TransportCc.build(1, 2, 0, List.of(received(1, 0), received(2, 9_000_000))));
        assertThrows(IllegalArgumentException.class,
                () -> TransportCc.build(1, 2, 0, List.of(received(5, 0), received(5, 100))));
    }

    @Test
    void rejectsMalformed() {
        byte[] reserved = TCC.clone();
        reserved[20] = (byte) 0xff; // 2-bit vector whose first symbol is 11
        assertThrows(MalformedPacketException.class, () -> TransportCc.parse(reserved, 0, reserved.length));
        byte[] moreStatuses = TCC.clone();
        moreStatuses[15] = 60; // 60 packets announced, chunks run into the deltas and out of bytes
        assertThrows(MalformedPacketException.class, () -> TransportCc.parse(moreStatuses, 0, moreStatuses.length));
        byte[] tooShort = Hex.bytes("8fcd 0003 00000001 00000002 0000 0001");
        assertThrows(MalformedPacketException.class, () -> TransportCc.parse(tooShort, 0, tooShort.length));
    }

    @Test
    void acceptsZeroPaddingWithoutThePBit() throws Exception {
        // one packet, received, delta 1: 20 + 2 (run chunk) + 1 (delta) = 23 bytes, zero-padded to 24
        byte[] bytes = Hex.bytes("8fcd 0005 00000001 00000002 0005 0001 000001 00 2001 04 00");
        TransportCc tcc = TransportCc.parse(bytes, 0, bytes.length);
        assertEquals(List.of(received(5, 64_000 + 1000)), tcc.packets());
    }
}
