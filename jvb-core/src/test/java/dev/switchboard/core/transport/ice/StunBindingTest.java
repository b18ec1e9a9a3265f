package dev.switchboard.core.transport.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StunBindingTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    /**
     * RFC 5769 section 2.2 "Sample IPv4 Response", cut after XOR-MAPPED-ADDRESS (length adjusted to 0x1c):
     * SOFTWARE "test vector", XOR-MAPPED-ADDRESS 192.0.2.1:32853.
     */
    private static final byte[] RFC5769_IPV4_RESPONSE = hex("""
            0101 001c 2112a442 b7e7a701 bc34d686 fa87dfae
            8022 000b 74657374 20766563 746f7220
            0020 0008 0001 a147 e112a643
            """);

    /** RFC 5769 section 2.3 "Sample IPv6 Response", cut likewise: 2001:db8:1234:5678:11:2233:4455:6677 port 32853. */
    private static final byte[] RFC5769_IPV6_RESPONSE = hex("""
            0101 0028 2112a442 b7e7a701 bc34d686 fa87dfae
            8022 000b 74657374 20766563 746f7220
            0020 0014 0002 a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9
            """);

    @Test
    void decodesTheRfc5769Ipv4MappedAddress() throws Exception {
        InetSocketAddress mapped = StunBinding.mappedAddress(RFC5769_IPV4_RESPONSE, RFC5769_IPV4_RESPONSE.length);
        assertEquals(new InetSocketAddress("192.0.2.1", 32853), mapped);
    }

    @Test
    void decodesTheRfc5769Ipv6MappedAddress() throws Exception {
        InetSocketAddress mapped = StunBinding.mappedAddress(RFC5769_IPV6_RESPONSE, RFC5769_IPV6_RESPONSE.length);
        assertEquals(new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853), mapped);
    }

    @Test
    void buildsABareBindingRequest() {
        byte[] id = hex("b7e7a701 bc34d686 fa87dfae");
        assertArrayEquals(hex("0001 0000 2112a442 b7e7a701 bc34d686 fa87dfae"), StunBinding.request(id));
        assertEquals(StunBinding.transactionKey(RFC5769_IPV4_RESPONSE), StunBinding.transactionKey(StunBinding.request(id)));
    }

    @Test
    void rejectsRequestsTruncationAndMissingAttribute() {
        byte[] request = StunBinding.request(new byte[12]);
        assertNull(StunBinding.mappedAddress(request, request.length));
        assertNull(StunBinding.mappedAddress(RFC5769_IPV4_RESPONSE, 40), "attribute runs past the end");
        byte[] noMapped = hex("0101 0000 2112a442 b7e7a701 bc34d686 fa87dfae");
        assertNull(StunBinding.mappedAddress(noMapped, noMapped.length));
    }
}
