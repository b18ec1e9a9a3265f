package dev.switchboard.core.bwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.rtcp.TransportCc;
import dev.switchboard.core.testing.Hex;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportCcFeedbackReaderTest {
    /**
     * Feedback for 0xfffe..0x0002 (across the wrap): received, lost, received (large negative delta), two
     * received; a status vector chunk of 2-bit symbols.
     */
    private static final byte[] FIXTURE = Hex.bytes(
            "8f cd 0006", //         V=2 FMT=15 | PT=205 | length 6 (28 bytes)
            "0b0b0b0b", //           sender SSRC (the receiver)
            "5eed0001", //           media SSRC
            "fffe 0005", //          base sequence number 0xfffe, 5 packets
            "000010 07", //          reference time 16 x 64 ms = 1024 ms, feedback packet count 7
            "d250", //               status vector, 2-bit symbols: 1 small, 0 lost, 2 large, 1 small, 1 small, (pad)
            "04", //                 +1 ms
            "fffc", //               -1 ms (large delta, signed)
            "08 00", //              +2 ms, +0 ms
            "00"); //                zero byte to the 32-bit boundary

    @Test
    void readsAFixtureInPlace() {
        TransportCcFeedbackReader reader = new TransportCcFeedbackReader();
        assertTrue(reader.read(FIXTURE, 0, FIXTURE.length));
        assertEquals(5, reader.count());
        assertEquals(7, reader.feedbackPacketCount());
        int[] seqs = {0xfffe, 0xffff, 0, 1, 2};
        long[] arrivals = {1_025_000, TransportCcFeedbackReader.NOT_RECEIVED, 1_024_000, 1_026_000, 1_026_000};
        for (int i = 0; i < 5; i++) {
            assertEquals(seqs[i], reader.sequenceNumber(i), "seq " + i);
            assertEquals(arrivals[i], reader.arrivalUs(i), "arrival " + i);
        }
    }

    @Test
    void agreesWithTheValueParserOnBuiltFeedback() throws Exception {
        List<TransportCc.PacketResult> packets = new ArrayList<>();
        long arrival = 5_000_000;
        for (int i = 0; i < 300; i++) {
            int seq = (65_400 + i) & 0xFFFF;
            if (i % 7 == 3 || (i > 100 && i < 140)) {
                packets.add(TransportCc.PacketResult.notReceived(seq));
            } else {
                arrival += i % 11 == 0 ? 70_000 : 250 * (i % 5);
                packets.add(TransportCc.PacketResult.received(seq, arrival));
            }
        }
        TransportCc built = TransportCc.build(1, 2, 200, packets);
        byte[] bytes = new byte[built.length()];
        built.serialize(bytes, 0);
        TransportCcFeedbackReader reader = new TransportCcFeedbackReader();
        assertTrue(reader.read(bytes, 0, bytes.length));
        List<TransportCc.PacketResult> expected = TransportCc.parse(bytes, 0, bytes.length).packets();
        assertEquals(expected.size(), reader.count());
        for (int i = 0; i < reader.count(); i++) {
            assertEquals(expected.get(i).sequenceNumber(), reader.sequenceNumber(i));
            long want = expected.get(i).isReceived() ? expected.get(i).arrivalTimeUs()
                    : TransportCcFeedbackReader.NOT_RECEIVED;
            assertEquals(want, reader.arrivalUs(i), "packet " + i);
        }
    }

    @Test
    void refusesTruncatedAndForeignPackets() {
        TransportCcFeedbackReader reader = new TransportCcFeedbackReader();
        assertFalse(reader.read(FIXTURE, 0, 24), "deltas cut off");
        assertEquals(0, reader.count());
        byte[] nack = FIXTURE.clone();
        nack[0] = (byte) 0x81; // FMT 1: a NACK
        assertFalse(reader.read(nack, 0, nack.length));
    }
}
