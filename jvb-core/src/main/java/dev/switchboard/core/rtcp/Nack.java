package dev.switchboard.core.rtcp;

import dev.switchboard.core.packet.RtcpPackets;
import dev.switchboard.core.rtp.NetworkBytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generic NACK, RTPFB FMT=1 (RFC 4585 section 6.2.1): a list of FCI entries, each a packet ID (PID, a lost
 * sequence number) and a bitmask of following lost packets (BLP: bit i set means PID+i+1 is lost as well).
 *
 * <p>The FCI entries are kept as they were on the wire so a parsed packet re-serializes byte for byte;
 * {@link #lostSequenceNumbers()} expands them, {@link #fromSequenceNumbers} packs a list (with wrap-around:
 * 65535 and 0 share an entry).
 */
public record Nack(long senderSsrc, long mediaSsrc, List<Fci> items) implements RtcpPacket {
    public static final int PACKET_TYPE = RtcpPackets.RTPFB;
    public static final int FMT = 1;
    /** Header, sender and media SSRC. */
    public static final int HEADER_LENGTH = 12;

    /** One FCI entry: PID and BLP, both 16 bits. */
    public record Fci(int pid, int blp) {
        public Fci {
            RtcpHeader.checkRange("PID", pid, 0, 0xFFFF);
            RtcpHeader.checkRange("BLP", blp, 0, 0xFFFF);
        }
    }

    public Nack {
        RtcpHeader.checkSsrc(senderSsrc);
        RtcpHeader.checkSsrc(mediaSsrc);
        items = List.copyOf(items);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a NACK needs at least one FCI entry");
        }
    }

    public static Nack parse(byte[] buf, int off, int len) throws MalformedPacketException {
        int length = RtcpHeader.checkFeedback(buf, off, len, PACKET_TYPE, FMT, HEADER_LENGTH + 4);
        int end = off + RtcpHeader.contentLength(buf, off, length, HEADER_LENGTH + 4);
        List<Fci> items = new ArrayList<>((end - off - HEADER_LENGTH) / 4);
        for (int pos = off + HEADER_LENGTH; pos + 4 <= end; pos += 4) {
            items.add(new Fci(NetworkBytes.uint16(buf, pos), NetworkBytes.uint16(buf, pos + 2)));
        }
        return new Nack(NetworkBytes.uint32(buf, off + 4), NetworkBytes.uint32(buf, off + 8), items);
    }

    /**
     * Packs lost sequence numbers into as few FCI entries as a greedy pass allows. Duplicates are ignored;
     * order does not matter: the numbers are sorted in RTP order, the sequence starting after the widest gap
     * between them (so {@code 65534, 0, 65535, 1} gives one entry PID=65534, BLP=0b111). The numbers must
     * span less than half the sequence space for that order to be meaningful.
     */
    public static Nack fromSequenceNumbers(long senderSsrc, long mediaSsrc, int[] sequenceNumbers, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("no sequence numbers to NACK");
        }
        int[] sorted = Arrays.copyOf(sequenceNumbers, count);
        for (int i = 0; i < count; i++) {
            sorted[i] &= 0xFFFF;
        }
        Arrays.sort(sorted);
        int distinct = 1;
        for (int i = 1; i < count; i++) {
            if (sorted[i] != sorted[distinct - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        // rotate so the list starts after the widest circular gap (the wrap point, if the set wraps)
        int start = 0;
        int widest = sorted[0] + 0x10000 - sorted[distinct - 1];
        for (int i = 1; i < distinct; i++) {
            if (sorted[i] - sorted[i - 1] > widest) {
                widest = sorted[i] - sorted[i - 1];
                start = i;
            }
        }
        List<Fci> items = new ArrayList<>();
        int pid = -1;
        int blp = 0;
        for (int k = 0; k < distinct; k++) {
            int seq = sorted[(start + k) % distinct];
            int distance = (seq - pid) & 0xFFFF;
            if (pid >= 0 && distance >= 1 && distance <= 16) {
                blp |= 1 << (distance - 1);
            } else {
                if (pid >= 0) {
                    items.add(new Fci(pid, blp));
                }
                pid = seq;
                blp = 0;
            }
        }
        items.add(new Fci(pid, blp));
        return new Nack(senderSsrc, mediaSsrc, items);
    }

    public static Nack fromSequenceNumbers(long senderSsrc, long mediaSsrc, int... sequenceNumbers) {
        return fromSequenceNumbers(senderSsrc, mediaSsrc, sequenceNumbers, sequenceNumbers.length);
    }

    /**
     * Writes a NACK for lost sequence numbers given in increasing RTP order (wrap-aware, as
     * {@code NackGenerator.collectDue} hands them out) without allocating: each number within 16 after the
     * current entry's PID goes into its BLP, any other starts a new entry; repeats are skipped. Gives the same
     * bytes as {@link #fromSequenceNumbers} for such input.
     *
     * @return the number of bytes written: 12 plus 4 per entry (at most {@code 12 + 4 * count})
     */
    public static int write(byte[] out, int off, long senderSsrc, long mediaSsrc, int[] sequenceNumbers,
            int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("no sequence numbers to NACK");
        }
        RtcpHeader.checkSsrc(senderSsrc);
        RtcpHeader.checkSsrc(mediaSsrc);
        int pos = off + HEADER_LENGTH;
        int pid = sequenceNumbers[0] & 0xFFFF;
        int blp = 0;
        for (int i = 1; i < count; i++) {
            int seq = sequenceNumbers[i] & 0xFFFF;
            int distance = (seq - pid) & 0xFFFF;
            if (distance == 0) {
                continue;
            }
            if (distance <= 16) {
                blp |= 1 << (distance - 1);
            } else {
                NetworkBytes.putUint16(out, pos, pid);
                NetworkBytes.putUint16(out, pos + 2, blp);
                pos += 4;
                pid = seq;
                blp = 0;
            }
        }
        NetworkBytes.putUint16(out, pos, pid);
        NetworkBytes.putUint16(out, pos + 2, blp);
        pos += 4;
        int length = pos - off;
        RtcpHeader.writeFeedback(out, off, FMT, PACKET_TYPE, length, false, senderSsrc, mediaSsrc);
        return length;
    }

    /** Every sequence number the entries name, in wire order (PID, then its BLP bits from low to high). */
    public int[] lostSequenceNumbers() {
        int[] out = new int[items.size() * 17];
        int n = 0;
        for (Fci item : items) {
            out[n++] = item.pid();
            for (int bit = 0; bit < 16; bit++) {
                if ((item.blp() & (1 << bit)) != 0) {
                    out[n++] = (item.pid() + bit + 1) & 0xFFFF;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    @Override
    public int length() {
        return HEADER_LENGTH + 4 * items.size();
    }

    @Override
    public int serialize(byte[] out, int off) {
        int length = length();
        RtcpHeader.writeFeedback(out, off, FMT, PACKET_TYPE, length, false, senderSsrc, mediaSsrc);
        int pos = off + HEADER_LENGTH;
        for (Fci item : items) {
            NetworkBytes.putUint16(out, pos, item.pid());
            NetworkBytes.putUint16(out, pos + 2, item.blp());
            pos += 4;
        }
        return length;
    }
}
