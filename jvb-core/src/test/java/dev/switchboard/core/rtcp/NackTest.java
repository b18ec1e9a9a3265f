package dev.switchboard.core.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.core.testing.Hex;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class NackTest {
    static final byte[] NACK = Hex.bytes(
            "81 cd 0004", //  V=2 P=0 FMT=1 (generic NACK) | PT=205 (RTPFB) | length=4 (20 bytes)
            "00000001", //    SSRC of packet sender
            "0badcafe", //    SSRC of media source
            "fffe 0007", //   PID 65534, BLP 0b111: 65535, 0, 1 lost too (across the wrap)
            "0064 8101"); //  PID 100, BLP bits 0, 8, 15: 101, 109, 116

    static final int[] LOST = {65534, 65535, 0, 1, 100, 101, 109, 116};

    private static void assertFields(Nack nack) {
        assertEquals(1L, nack.senderSsrc());
        assertEquals(0x0badcafeL, nack.mediaSsrc());
        assertEquals(List.of(new Nack.Fci(65534, 0x0007), new Nack.Fci(100, 0x8101)), nack.items());
        assertArrayEquals(LOST, nack.lostSequenceNumbers());
    }

    @Test
    void fixtureParsesSerializesAndBuilds() throws Exception {
        Nack parsed = Nack.parse(NACK, 0, NACK.length);
        assertFields(parsed);
        assertArrayEquals(NACK, RtcpRoundTrip.serialize(parsed));

        Nack built = Nack.fromSequenceNumbers(1, 0x0badcafeL, LOST);
        assertFields(built);
        assertArrayEquals(NACK, RtcpRoundTrip.serialize(built));
    }

    @Test
    void inPlaceWriterGivesTheFixtureAndMatchesThePackerOnAscendingInput() throws Exception {
        byte[] out = new byte[64];
        int length = Nack.write(out, 3, 1, 0x0badcafeL, LOST, LOST.length);
        assertArrayEquals(NACK, Arrays.copyOfRange(out, 3, 3 + length));

        Random random = new Random(3);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(40);
            int[] seqs = new int[n];
            int seq = random.nextInt(65536);
            for (int i = 0; i < n; i++) {
                seqs[i] = seq;
                seq = (seq + 1 + (random.nextInt(3) == 0 ? random.nextInt(40) : 0)) & 0xFFFF;
            }
            byte[] expected = RtcpRoundTrip.serialize(Nack.fromSequenceNumbers(7, 9, seqs, n));
            byte[] buf = new byte[12 + 4 * n];
            assertArrayEquals(expected, Arrays.copyOf(buf, Nack.write(buf, 0, 7, 9, seqs, n)), "round " + round);
        }
    }

    @Test
    void packingIgnoresInputOrderAndDuplicates() {
        Nack nack = Nack.fromSequenceNumbers(1, 2, 116, 0, 65535, 109, 1, 101, 65534, 100, 0, 116);
        assertArrayEquals(LOST, nack.lostSequenceNumbers());
        assertEquals(2, nack.items().size());
    }

    @Test
    void packsSixteenFollowersIntoOneEntryAndStartsANewOneAfter() {
        int[] seqs = new int[18];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = 1000 + i;
        }
        Nack nack = Nack.fromSequenceNumbers(1, 2, seqs);
        assertEquals(List.of(new Nack.Fci(1000, 0xFFFF), new Nack.Fci(1017, 0)), nack.items());
    }

    @Test
    void randomSetsRoundTrip() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int start = random.nextInt(65536);
            TreeSet<Integer> expected = new TreeSet<>();
            int[] input = new int[1 + random.nextInt(60)];
            for (int i = 0; i < input.length; i++) {
                input[i] = (start + random.nextInt(300)) & 0xFFFF;
                expected.add(input[i]);
            }
            Nack nack = Nack.fromSequenceNumbers(3, 4, input);
            byte[] bytes = RtcpRoundTrip.serialize(nack);
            int[] lost = Nack.parse(bytes, 0, bytes.length).lostSequenceNumbers();
            assertEquals(expected.size(), lost.length);
            assertEquals(expected, new TreeSet<>(Arrays.stream(lost).boxed().toList()));
            for (int i = 1; i < lost.length; i++) {
                int step = (lost[i] - lost[i - 1]) & 0xFFFF;
                assertEquals(true, step > 0 && step < 0x8000, "lost list is in RTP order");
            }
        }
    }

    @Test
    void rejectsMalformed() {
        byte[] noFci = Hex.bytes("81cd 0002 00000001 00000002");
        assertThrows(MalformedPacketException.class, () -> Nack.parse(noFci, 0, noFci.length));
        byte[] tcc = NACK.clone();
        tcc[0] = (byte) 0x8f; // FMT 15
        assertThrows(MalformedPacketException.class, () -> Nack.parse(tcc, 0, tcc.length));
        assertThrows(IllegalArgumentException.class, () -> Nack.fromSequenceNumbers(1, 2, new int[0]));
    }
}
