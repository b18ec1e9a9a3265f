package dev.switchboard.bench.gen;

import dev.switchboard.core.buffer.PacketBuffer;
import dev.switchboard.core.transport.dtls.SrtpKeys;
import dev.switchboard.core.transport.srtp.SrtpSession;

/**
 * How a participant protects what it sends and unprotects what it receives. Sending and receiving run on
 * different threads (send loop, receive loop), so the SRTP variant keeps one jvb-core {@link SrtpSession}
 * per direction, built from the same DTLS keys: each is confined to its thread.
 */
interface MediaCrypto {
    /** Send loop only. */
    boolean protectRtp(PacketBuffer p);

    /** Send loop only. */
    boolean protectRtcp(PacketBuffer p);

    /** Receive loop only. */
    boolean unprotectRtp(PacketBuffer p);

    /** Receive loop only. */
    boolean unprotectRtcp(PacketBuffer p);

    void close();

    /** SRTP/SRTCP with DTLS-SRTP keys (what the bridge speaks). */
    static MediaCrypto srtp(SrtpKeys keys) {
        SrtpSession tx = new SrtpSession(keys);
        SrtpSession rx = new SrtpSession(keys);
        return new MediaCrypto() {
            @Override
            public boolean protectRtp(PacketBuffer p) {
                return tx.protectRtp(p);
            }

            @Override
            public boolean protectRtcp(PacketBuffer p) {
                return tx.protectRtcp(p);
            }

            @Override
            public boolean unprotectRtp(PacketBuffer p) {
                return rx.unprotectRtp(p);
            }

            @Override
            public boolean unprotectRtcp(PacketBuffer p) {
                return rx.unprotectRtcp(p);
            }

            @Override
            public void close() {
                // Each session is confined to its loop; closing from here could race an in-flight packet,
                // and they hold nothing but keys and contexts the GC reclaims.
            }
        };
    }

    /**
     * Plain RTP for the floor relay, padded with as many bytes as SRTP would add (tag, SRTCP index), so that
     * datagrams have the same sizes as in the bridge run.
     */
    static MediaCrypto plain(int rtpOverhead, int rtcpOverhead) {
        return new MediaCrypto() {
            @Override
            public boolean protectRtp(PacketBuffer p) {
                return pad(p, rtpOverhead);
            }

            @Override
            public boolean protectRtcp(PacketBuffer p) {
                return pad(p, rtcpOverhead);
            }

            @Override
            public boolean unprotectRtp(PacketBuffer p) {
                return strip(p, rtpOverhead);
            }

            @Override
            public boolean unprotectRtcp(PacketBuffer p) {
                return strip(p, rtcpOverhead);
            }

            @Override
            public void close() {
            }

            private boolean pad(PacketBuffer p, int n) {
                if (p.tailRoom() < n) {
                    return false;
                }
                byte[] b = p.array();
                int end = p.offset() + p.length();
                for (int i = 0; i < n; i++) {
                    b[end + i] = 0;
                }
                p.setLength(p.length() + n);
                return true;
            }

            private boolean strip(PacketBuffer p, int n) {
                if (p.length() < n + 8) {
                    return false;
                }
                p.setLength(p.length() - n);
                return true;
            }
        };
    }
}
