package dev.switchboard.signaling.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.core.api.IceCandidate;
import org.junit.jupiter.api.Test;

class IceCandidatesTest {
    @Test
    void parsesABrowserCandidate() {
        IceCandidate c = IceCandidates.parse(
                "candidate:1162211498 1 udp 2122194687 127.0.0.1 58950 typ host generation 0 ufrag EKYS network-id 3");
        assertEquals(new IceCandidate("1162211498", 1, "udp", 2122194687L, "127.0.0.1", 58950, "host", null, 0, null),
                c);
        assertEquals("candidate:1162211498 1 udp 2122194687 127.0.0.1 58950 typ host", IceCandidates.format(c));
    }

    @Test
    void parsesRelatedAddressAndTcpType() {
        IceCandidate srflx = IceCandidates.parse(
                "a=candidate:842163049 1 UDP 1677729535 203.0.113.7 61665 typ srflx raddr 10.0.0.2 rport 61665");
        assertEquals("udp", srflx.protocol());
        assertEquals("10.0.0.2", srflx.relatedAddress());
        assertEquals(61665, srflx.relatedPort());
        assertEquals("candidate:842163049 1 udp 1677729535 203.0.113.7 61665 typ srflx raddr 10.0.0.2 rport 61665",
                IceCandidates.format(srflx));
        IceCandidate tcp = IceCandidates.parse("candidate:2 1 tcp 1518214911 127.0.0.1 9 typ host tcptype active");
        assertEquals("active", tcp.tcpType());
        assertNull(tcp.relatedAddress());
    }

    @Test
    void formatsThePassiveTcpCandidateWithItsRealPort() {
        IceCandidate passive = new IceCandidate("2", 1, "tcp", 1518280447L, "127.0.0.1", 4443, "host", null, 0,
                "passive");
        // RFC 6544 section 4.5: only active candidates use the discard port 9
        assertEquals("candidate:2 1 tcp 1518280447 127.0.0.1 4443 typ host tcptype passive",
                IceCandidates.format(passive));
        assertEquals(passive, IceCandidates.parse(IceCandidates.format(passive)));
    }

    @Test
    void mdnsCandidatesAreNotUsable() {
        assertTrue(IceCandidates.parseUsable(
                "candidate:1 1 udp 2122262783 4b3a2f1e-1111-2222-3333-444455556666.local 53421 typ host").isEmpty());
    }

    @Test
    void garbageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> IceCandidates.parse("hello"));
        assertThrows(IllegalArgumentException.class, () -> IceCandidates.parse(null));
        assertThrows(IllegalArgumentException.class,
                () -> IceCandidates.parse("candidate:1 1 udp 1 127.0.0.1 70000 typ host"));
        assertThrows(IllegalArgumentException.class,
                () -> IceCandidates.parse("candidate:1 1 sctp 1 127.0.0.1 7 typ host"));
        assertThrows(IllegalArgumentException.class,
                () -> IceCandidates.parse("candidate:1 1 udp 1 127.0.0.1 7 type host"));
        assertThrows(IllegalArgumentException.class,
                () -> IceCandidates.parse("candidate:1 1 udp 1 127.0.0.1 7 typ weird"));
    }
}
