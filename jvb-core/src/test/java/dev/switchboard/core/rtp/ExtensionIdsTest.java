package dev.switchboard.core.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.core.testing.Hex;
import org.junit.jupiter.api.Test;

/** Translating a forwarded packet's header extensions from the sender's ids to a receiver's (RFC 8285). */
class ExtensionIdsTest {
    /** The sender's ids: audio level 1, transport-cc 3, abs-send-time 2; mid (4) is not forwarded. */
    private static final ExtensionIds SENDER = new ExtensionIds(1, 3, 2, 0);

    /** One-byte form (RFC 8285 section 4.2) as a browser sends audio: level, abs-send-time, tcc, mid. */
    private static final String ONE_BYTE =
            "90 6f 4d2c 00013880 0a0b0c0d"
            + " bede 0004" //   one-byte form, 4 words
            + " 10 aa" //       id 1 L=0: audio level
            + " 22 123456" //   id 2 L=2: abs-send-time
            + " 31 0102" //     id 3 L=1: transport-wide seq 258
            + " 40 31" //       id 4 L=0: mid "1"
            + " 000000 00" //   padding
            + " fcfd"; //       payload

    private static byte[] translate(String packet, ExtensionIds from, ExtensionIds to, int[] tccOffset) {
        byte[] p = Hex.bytes(packet);
        tccOffset[0] = from.translate(new HeaderExtensions(), p, 0, p.length, to);
        return p;
    }

    @Test
    void oneByteFormGetsTheReceiversIdsAndEverythingElseBecomesPaddingInPlace() {
        ExtensionIds receiver = new ExtensionIds(9, 14, 0, 0); // no abs-send-time on this leg
        int[] tcc = new int[1];
        byte[] out = translate(ONE_BYTE, SENDER, receiver, tcc);
        assertEquals(Hex.of(Hex.bytes(
                "90 6f 4d2c 00013880 0a0b0c0d"
                + " bede 0004"
                + " 90 aa" //       id 9: audio level, value kept
                + " 00 000000" //   abs-send-time not negotiated by the receiver: padding
                + " e1 0102" //     id 14: transport-wide seq (the caller rewrites the value)
                + " 00 00" //       mid: never forwarded
                + " 000000 00"
                + " fcfd")), Hex.of(out));
        assertEquals(12 + 4 + 2 + 4 + 1, tcc[0], "offset of the transport-wide number's data");
    }

    @Test
    void aReceiverIdTheOneByteFormCannotCarryErasesTheElement() {
        int[] tcc = new int[1];
        byte[] out = translate(ONE_BYTE, SENDER, new ExtensionIds(1, 20, 2, 0), tcc);
        assertEquals(-1, tcc[0]);
        assertEquals(Hex.of(Hex.bytes("10 aa 22 123456 00 0000 00 00 00")), Hex.of(out, 16, 12));
    }

    @Test
    void twoByteFormCarriesAnyIdAndKeepsLengths() {
        String twoByte = "b1 6f 0001 00000000 00000001 00000002" // one CSRC
                + " 1000 0003" //   two-byte form (section 4.3), 3 words
                + " 01 01 2a" //    id 1, 1 byte: audio level
                + " 00" //          padding
                + " 10 00" //       id 16, 0 bytes: unknown, erased
                + " 03 02 beef" //  id 3, 2 bytes: transport-wide seq
                + " 0000"
                + " ff";
        int[] tcc = new int[1];
        byte[] out = translate(twoByte, SENDER, new ExtensionIds(200, 17, 0, 0), tcc);
        assertEquals(Hex.of(Hex.bytes("b1 6f 0001 00000000 00000001 00000002 1000 0003"
                + " c8 01 2a" //    id 200
                + " 00"
                + " 00 00" //       erased
                + " 11 02 beef" //  id 17
                + " 0000 ff")), Hex.of(out));
        assertEquals(16 + 4 + 3 + 1 + 2 + 2, tcc[0]);
    }

    @Test
    void aTransportWideElementOfTheWrongLengthIsErased() {
        String bad = "90 60 0001 00000000 00000001 bede 0001 32 010203 ff"; // id 3 with 3 bytes
        int[] tcc = new int[1];
        byte[] out = translate(bad, SENDER, new ExtensionIds(0, 3, 0, 0), tcc);
        assertEquals(-1, tcc[0]);
        assertEquals("00000000", Hex.of(out, 16, 4));
    }

    @Test
    void packetsWithoutAnExtensionBlockAreLeftAlone() {
        String plain = "80 60 0001 00000000 00000001 ff";
        int[] tcc = new int[1];
        byte[] out = translate(plain, SENDER, ExtensionIds.NONE, tcc);
        assertEquals(-1, tcc[0]);
        assertEquals(Hex.of(Hex.bytes(plain)), Hex.of(out));
    }

    @Test
    void anIdGivenToTwoExtensionsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ExtensionIds(3, 3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ExtensionIds(256, 0, 0, 0));
    }
}
