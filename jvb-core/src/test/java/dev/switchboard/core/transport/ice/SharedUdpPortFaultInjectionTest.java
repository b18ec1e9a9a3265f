package dev.switchboard.core.transport.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.core.fault.FaultInjection;
import dev.switchboard.core.packet.AllowedNetworks;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outgoing fault injection on both send paths of the shared port: STUN goes out, the rest is dropped. */
class SharedUdpPortFaultInjectionTest {
    private static final byte[] STUN = {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
        12};
    private static final byte[] RTP = {(byte) 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2};
    private static final byte[] DTLS = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    @Test
    void outgoingDropsSpareStunOnTheQueuedAndTheMediaPath() throws Exception {
        FaultInjection faults = new FaultInjection(0, 100, 3);
        try (SharedUdpPort port = SharedUdpPort.bind("127.0.0.1", 0, new AllowedNetworks(List.of("127.0.0.0/8")),
                faults);
                DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            peer.setSoTimeout(2000);
            InetSocketAddress to = (InetSocketAddress) peer.getLocalSocketAddress();
            port.send(RTP, 0, RTP.length, to);
            port.send(DTLS, 0, DTLS.length, to);
            ByteBuffer media = ByteBuffer.wrap(RTP);
            port.send(media, to);
            assertEquals(RTP.length, media.position(), "a dropped datagram is consumed as if sent");
            port.send(STUN, 0, STUN.length, to);
            port.send(ByteBuffer.wrap(STUN), to);

            for (int i = 0; i < 2; i++) {
                DatagramPacket received = new DatagramPacket(new byte[100], 100);
                peer.receive(received);
                assertEquals(STUN.length, received.getLength(), "only STUN arrives");
                assertEquals(0x21, received.getData()[4]);
            }
            peer.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> peer.receive(new DatagramPacket(new byte[100], 100)));
            assertEquals(3, faults.injectedOutgoing());
            assertEquals(0, faults.injectedIncoming());
        }
    }
}
