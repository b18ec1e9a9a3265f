package dev.switchboard.core.packet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void ipv4Networks() throws Exception {
        Cidr loopback = Cidr.parse("127.0.0.0/8");
        assertTrue(loopback.contains(InetAddress.getByName("127.0.0.1")));
        assertTrue(loopback.contains(InetAddress.getByName("127.255.1.2")));
        assertFalse(loopback.contains(InetAddress.getByName("10.0.0.1")));
        assertFalse(loopback.contains(InetAddress.getByName("::1")));
        assertTrue(Cidr.parse("10.1.2.0/23").contains(InetAddress.getByName("10.1.3.200")));
        assertFalse(Cidr.parse("10.1.2.0/23").contains(InetAddress.getByName("10.1.4.1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("192.0.2.7")));
        assertTrue(Cidr.parse("192.0.2.7").contains(InetAddress.getByName("192.0.2.7")));
    }

    @Test
    void ipv6Networks() throws Exception {
        assertTrue(Cidr.parse("::1/128").contains(InetAddress.getByName("::1")));
        assertTrue(Cidr.parse("fd00::/8").contains(InetAddress.getByName("fd12:3456::1")));
        assertFalse(Cidr.parse("fd00::/8").contains(InetAddress.getByName("fe80::1")));
    }

    @Test
    void rejectsNamesAndBadPrefixes() {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/x"));
        assertThrows(IllegalArgumentException.class, () -> new AllowedNetworks(List.of()));
    }
}
