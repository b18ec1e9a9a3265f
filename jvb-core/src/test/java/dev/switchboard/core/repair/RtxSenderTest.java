package dev.switchboard.core.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.switchboard.core.packet.RtpHeader;
import dev.switchboard.core.testing.Hex;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RtxSenderTest {
    /** A VP8 packet as a receiver was sent it (its own extension ids), with 3 bytes of padding. */
    static final byte[] ORIGINAL = Hex.bytes(
            "b0 e0 0102", //    V=2 P=1 X=1 CC=0 | M=1 PT=96 | seq 0x0102
            "00002710", //      timestamp 10000
            "22222222", //      SSRC (the source's, forwarded unchanged)
            "bede 0001", //     one-byte header extensions, 1 word:
            "51 0a0b 00", //    id 5 (transport-wide), 2 bytes; padding
            "9010 aabb", //     payload (VP8 descriptor and data)
            "000003"); //       padding, 3 bytes

    /** Its RTX packet on the bridge's stream 0x33333333 toward that receiver, the stream's second packet. */
    static final byte[] RTX = Hex.bytes(
            "90 e1 0001", //    P=0 (padding dropped) X=1 | M=1 PT=97 | the RTX stream's seq 1
            "00002710", //      timestamp kept
            "33333333", //      the RTX SSRC
            "bede 0001", //     header extensions kept
            "51 0a0b 00",
            "0102", //          OSN (RFC 4588 section 4)
            "9010 aabb"); //    original payload

    @Test
    void wrapsInPlaceWithItsOwnSsrcAndSequenceNumbers() {
        RtxSender sender = new RtxSender(0x33333333L);
        assertEquals(0, sender.nextSequenceNumber(), "e.g. a padding probe took the first number");
        byte[] buf = Arrays.copyOf(ORIGINAL, 64);
        int len = sender.wrapInPlace(buf, 0, ORIGINAL.length, 97);
        assertArrayEquals(RTX, Arrays.copyOf(buf, len));
        assertEquals(2, sender.packetsSent());

        byte[] again = Arrays.copyOf(ORIGINAL, 64);
        int len2 = sender.wrapInPlace(again, 0, ORIGINAL.length, 97);
        assertEquals(2, RtpHeader.sequenceNumber(again, 0));
        assertEquals(len, len2);
    }

    @Test
    void aMalformedOriginalTakesNoSequenceNumber() {
        RtxSender sender = new RtxSender(7);
        byte[] truncated = Arrays.copyOf(ORIGINAL, 64);
        assertEquals(-1, sender.wrapInPlace(truncated, 0, 14, 97), "header extension cut off");
        assertEquals(0, sender.nextSequenceNumber());
    }

    @Test
    void sequenceNumbersWrapAtSixteenBits() {
        RtxSender sender = new RtxSender(7);
        for (int i = 0; i < 0xFFFF; i++) {
            sender.nextSequenceNumber();
        }
        assertEquals(0xFFFF, sender.nextSequenceNumber());
        assertEquals(0, sender.nextSequenceNumber());
    }

    @Test
    void streamsOfOneReceiverMapPayloadTypesAndKeepOneSenderPerSsrc() {
        RtxStreams streams = new RtxStreams();
        assertEquals(0, streams.payloadTypeFor(96), "nothing negotiated");
        streams.setPayloadTypes(Map.of(96, 97, 98, 99));
        assertEquals(97, streams.payloadTypeFor(96));
        assertEquals(99, streams.payloadTypeFor(98));
        assertEquals(0, streams.payloadTypeFor(102));

        assertNull(streams.existing(0x33L));
        RtxSender first = streams.sender(0x33L);
        assertSame(first, streams.sender(0x33L));
        RtxSender second = streams.sender(0x44L);
        assertNotSame(first, second);
        assertEquals(2, streams.senders().length);

        streams.retainIf(ssrc -> ssrc == 0x44L);
        assertNull(streams.existing(0x33L));
        assertSame(second, streams.existing(0x44L));

        streams.setPayloadTypes(Map.of());
        assertEquals(0, streams.payloadTypeFor(96), "renegotiated without RTX");
    }
}
