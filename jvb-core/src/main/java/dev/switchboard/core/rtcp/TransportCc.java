package dev.switchboard.core.rtcp;

import dev.switchboard.core.packet.RtcpPackets;
import dev.switchboard.core.rtp.NetworkBytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Transport-wide congestion control feedback, RTPFB FMT=15 (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * section 3.1): for a range of transport-wide sequence numbers starting at the base sequence number, whether
 * each packet arrived and, for those that did, its arrival time as a delta from the previous one.
 *
 * <p>Layout after the 12-byte feedback header: base sequence number (16), packet status count (16), reference
 * time (signed 24 bits, units of 64 ms), feedback packet count (8); packet status chunks (16 bits each):
 * <ul>
 *   <li>run length chunk (section 3.1.3): {@code T=0 | S (2) | run length (13)};
 *   <li>status vector chunk (section 3.1.4): {@code T=1 | S=0 | 14 one-bit symbols} (0 not received, 1 small
 *       delta) or {@code T=1 | S=1 | 7 two-bit symbols};
 * </ul>
 * status symbols (section 3.1.1) 00 not received, 01 received with a small delta (1 byte, unsigned), 10 received
 * with a large or negative delta (2 bytes, signed), 11 reserved; then the receive deltas (section 3.1.5) in
 * units of 250 µs, the first relative to the reference time; then padding to 32 bits.
 *
 * <p>A parsed packet keeps its chunks as they were, so it re-serializes byte for byte. {@link #build} encodes
 * chunks as libwebrtc does (greedy: a vector of 7 two-bit symbols as soon as a chunk cannot take the next
 * symbol, a vector of 14 one-bit symbols when none is large, run lengths when all are equal) and pads like
 * libwebrtc (P bit set, the last octet counting the padding). A parser also accepts zero padding without the
 * P bit. Arrival times are modulo 2^24 × 64 ms (about 12.4 days), the range of the reference time.
 */
public final class TransportCc implements RtcpPacket {
    public static final int PACKET_TYPE = RtcpPackets.RTPFB;
    public static final int FMT = 15;
    public static final int HEADER_LENGTH = 20;
    public static final long REFERENCE_TIME_UNIT_US = 64_000;
    public static final long DELTA_UNIT_US = 250;
    /** {@link PacketResult#arrivalTimeUs()} of a packet that was not received. */
    public static final long NOT_RECEIVED = Long.MIN_VALUE;
    public static final int SYMBOL_NOT_RECEIVED = 0;
    public static final int SYMBOL_SMALL_DELTA = 1;
    public static final int SYMBOL_LARGE_DELTA = 2;
    private static final int MAX_RUN_LENGTH = 0x1FFF;

    /** One packet of the feedback: its transport-wide sequence number and arrival time, or not received. */
    public record PacketResult(int sequenceNumber, long arrivalTimeUs) {
        public PacketResult {
            RtcpHeader.checkRange("sequence number", sequenceNumber, 0, 0xFFFF);
        }

        public static PacketResult received(int sequenceNumber, long arrivalTimeUs) {
            if (arrivalTimeUs == NOT_RECEIVED) {
                throw new IllegalArgumentException("arrival time " + arrivalTimeUs);
            }
            return new PacketResult(sequenceNumber, arrivalTimeUs);
        }

        public static PacketResult notReceived(int sequenceNumber) {
            return new PacketResult(sequenceNumber, NOT_RECEIVED);
        }

        public boolean isReceived() {
            return arrivalTimeUs != NOT_RECEIVED;
        }
    }

    private final long senderSsrc;
    private final long mediaSsrc;
    private final int baseSequenceNumber;
    private final int referenceTime;
    private final int feedbackPacketCount;
    /** Status symbol of each packet, base sequence number first. */
    private final byte[] symbols;
    /** Receive delta of each packet in 250 µs units (0 where not received). */
    private final int[] deltas;
    private final int[] chunks;

    private TransportCc(long senderSsrc, long mediaSsrc, int baseSequenceNumber, int referenceTime,
            int feedbackPacketCount, byte[] symbols, int[] deltas, int[] chunks) {
        this.senderSsrc = senderSsrc;
        this.mediaSsrc = mediaSsrc;
        this.baseSequenceNumber = baseSequenceNumber;
        this.referenceTime = referenceTime;
        this.feedbackPacketCount = feedbackPacketCount;
        this.symbols = symbols;
        this.deltas = deltas;
        this.chunks = chunks;
    }

    public static TransportCc parse(byte[] buf, int off, int len) throws MalformedPacketException {
        int length = RtcpHeader.checkFeedback(buf, off, len, PACKET_TYPE, FMT, HEADER_LENGTH);
        int end = off + RtcpHeader.contentLength(buf, off, length, HEADER_LENGTH);
        int count = NetworkBytes.uint16(buf, off + 14);
        byte[] symbols = new byte[count];
        int[] chunks = new int[(end - off - HEADER_LENGTH) / 2];
        int chunkCount = 0;
        int pos = off + HEADER_LENGTH;
        int n = 0;
        while (n < count) {
            if (pos + 2 > end) {
                throw new MalformedPacketException("status chunks end after " + n + " of " + count + " packets");
            }
            int chunk = NetworkBytes.uint16(buf, pos);
            pos += 2;
            chunks[chunkCount++] = chunk;
            if ((chunk & 0x8000) == 0) {
                int symbol = checkSymbol((chunk >>> 13) & 3);
                for (int run = chunk & MAX_RUN_LENGTH; run > 0 && n < count; run--) {
                    symbols[n++] = (byte) symbol;
                }
            } else if ((chunk & 0x4000) == 0) {
                for (int bit = 13; bit >= 0 && n < count; bit--) {
                    symbols[n++] = (byte) ((chunk >>> bit) & 1);
                }
            } else {
                for (int shift = 12; shift >= 0 && n < count; shift -= 2) {
                    symbols[n++] = (byte) checkSymbol((chunk >>> shift) & 3);
                }
            }
        }
        int[] deltas = new int[count];
        for (int i = 0; i < count; i++) {
            if (symbols[i] == SYMBOL_SMALL_DELTA) {
                if (pos + 1 > end) {
                    throw new MalformedPacketException("receive deltas truncated");
                }
                deltas[i] = buf[pos] & 0xFF;
                pos += 1;
            } else if (symbols[i] == SYMBOL_LARGE_DELTA) {
                if (pos + 2 > end) {
                    throw new MalformedPacketException("receive deltas truncated");
                }
                deltas[i] = (short) NetworkBytes.uint16(buf, pos);
                pos += 2;
            }
        }
        return new TransportCc(NetworkBytes.uint32(buf, off + 4), NetworkBytes.uint32(buf, off + 8),
                NetworkBytes.uint16(buf, off + 12), NetworkBytes.int24(buf, off + 16), buf[off + 19] & 0xFF,
                symbols, deltas, Arrays.copyOf(chunks, chunkCount));
    }

    private static int checkSymbol(int symbol) throws MalformedPacketException {
        if (symbol == 3) {
            throw new MalformedPacketException("reserved status symbol 11");
        }
        return symbol;
    }

    /**
     * Builds feedback for packets in increasing (wrap-aware) sequence number order; sequence numbers missing
     * between two entries count as not received. The reference time is the first received packet's arrival time
     * (rounded down to 64 ms), or 0 when none was received.
     */
    public static TransportCc build(long senderSsrc, long mediaSsrc, int feedbackPacketCount,
            List<PacketResult> packets) {
        long referenceTimeUs = 0;
        for (PacketResult packet : packets) {
            if (packet.isReceived()) {
                referenceTimeUs = packet.arrivalTimeUs();
                break;
            }
        }
        return build(senderSsrc, mediaSsrc, feedbackPacketCount, referenceTimeUs, packets);
    }

    /**
     * Builds feedback with an explicit reference time (rounded down to 64 ms). Each receive delta is measured
     * from the previous packet's quantized arrival time, so rounding errors do not accumulate.
     *
     * @throws IllegalArgumentException when the list is empty or not increasing, spans more than 65535
     *     packets, or an arrival time is too far (over ±8.19 s) from the previous one to be encoded
     */
    public static TransportCc build(long senderSsrc, long mediaSsrc, int feedbackPacketCount,
            long referenceTimeUs, List<PacketResult> packets) {
        RtcpHeader.checkSsrc(senderSsrc);
        RtcpHeader.checkSsrc(mediaSsrc);
        RtcpHeader.checkRange("feedback packet count", feedbackPacketCount, 0, 255);
        if (packets.isEmpty()) {
            throw new IllegalArgumentException("no packets");
        }
        int base = packets.get(0).sequenceNumber();
        int last = packets.get(packets.size() - 1).sequenceNumber();
        int count = ((last - base) & 0xFFFF) + 1;
        byte[] symbols = new byte[count];
        int[] deltas = new int[count];
        long referenceTicks = Math.floorDiv(referenceTimeUs, REFERENCE_TIME_UNIT_US);
        long previousUs = referenceTicks * REFERENCE_TIME_UNIT_US;
        int previousIndex = -1;
        for (PacketResult packet : packets) {
            int index = (packet.sequenceNumber() - base) & 0xFFFF;
            if (index <= previousIndex || (previousIndex < 0 && index != 0)) {
                throw new IllegalArgumentException("sequence numbers not increasing at " + packet.sequenceNumber());
            }
            previousIndex = index;
            if (!packet.isReceived()) {
                continue;
            }
            long delta = Math.floorDiv(packet.arrivalTimeUs() - previousUs, DELTA_UNIT_US);
            if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
                throw new IllegalArgumentException("receive delta of " + delta * DELTA_UNIT_US
                        + " µs cannot be encoded at " + packet.sequenceNumber());
            }
            symbols[index] = (byte) (delta >= 0 && delta <= 255 ? SYMBOL_SMALL_DELTA : SYMBOL_LARGE_DELTA);
            deltas[index] = (int) delta;
            previousUs += delta * DELTA_UNIT_US;
        }
        int referenceTime = (int) (referenceTicks << 40 >> 40); // the low 24 bits, sign-extended
        TransportCc feedback = new TransportCc(senderSsrc, mediaSsrc, base, referenceTime, feedbackPacketCount,
                symbols, deltas, new ChunkEncoder().encode(symbols));
        if (feedback.length() > RtcpHeader.MAX_PACKET_LENGTH) {
            throw new IllegalArgumentException("feedback of " + feedback.length() + " bytes is too long");
        }
        return feedback;
    }

    public long senderSsrc() {
        return senderSsrc;
    }

    public long mediaSsrc() {
        return mediaSsrc;
    }

    public int baseSequenceNumber() {
        return baseSequenceNumber;
    }

    public int packetStatusCount() {
        return symbols.length;
    }

    /** Reference time in units of 64 ms, signed 24 bits. */
    public int referenceTime() {
        return referenceTime;
    }

    public long referenceTimeUs() {
        return referenceTime * REFERENCE_TIME_UNIT_US;
    }

    public int feedbackPacketCount() {
        return feedbackPacketCount;
    }

    /** Status symbol of the {@code index}-th packet (0 = base sequence number). */
    public int statusSymbol(int index) {
        return symbols[index];
    }

    /** The raw packet status chunks. */
    public int[] chunks() {
        return chunks.clone();
    }

    /** Every packet from the base sequence number on, with arrival times in µs on the reference time's scale. */
    public List<PacketResult> packets() {
        List<PacketResult> packets = new ArrayList<>(symbols.length);
        long arrivalUs = referenceTimeUs();
        for (int i = 0; i < symbols.length; i++) {
            int seq = (baseSequenceNumber + i) & 0xFFFF;
            if (symbols[i] == SYMBOL_NOT_RECEIVED) {
                packets.add(PacketResult.notReceived(seq));
            } else {
                arrivalUs += deltas[i] * DELTA_UNIT_US;
                packets.add(PacketResult.received(seq, arrivalUs));
            }
        }
        return packets;
    }

    private int unpaddedLength() {
        return unpaddedLength(symbols, symbols.length, chunks.length);
    }

    private static int unpaddedLength(byte[] symbols, int count, int chunkCount) {
        int length = HEADER_LENGTH + 2 * chunkCount;
        for (int i = 0; i < count; i++) {
            length += symbols[i] == SYMBOL_SMALL_DELTA ? 1 : symbols[i] == SYMBOL_LARGE_DELTA ? 2 : 0;
        }
        return length;
    }

    @Override
    public int length() {
        return (unpaddedLength() + 3) & ~3;
    }

    @Override
    public int serialize(byte[] out, int off) {
        return write(out, off, senderSsrc, mediaSsrc, baseSequenceNumber, referenceTime, feedbackPacketCount,
                symbols, deltas, symbols.length, chunks, chunks.length);
    }

    private static int write(byte[] out, int off, long senderSsrc, long mediaSsrc, int baseSequenceNumber,
            int referenceTime, int feedbackPacketCount, byte[] symbols, int[] deltas, int count, int[] chunks,
            int chunkCount) {
        int unpadded = unpaddedLength(symbols, count, chunkCount);
        int length = (unpadded + 3) & ~3;
        RtcpHeader.writeFeedback(out, off, FMT, PACKET_TYPE, length, length != unpadded, senderSsrc, mediaSsrc);
        NetworkBytes.putUint16(out, off + 12, baseSequenceNumber);
        NetworkBytes.putUint16(out, off + 14, count);
        NetworkBytes.putUint24(out, off + 16, referenceTime);
        out[off + 19] = (byte) feedbackPacketCount;
        int pos = off + HEADER_LENGTH;
        for (int c = 0; c < chunkCount; c++) {
            NetworkBytes.putUint16(out, pos, chunks[c]);
            pos += 2;
        }
        for (int i = 0; i < count; i++) {
            if (symbols[i] == SYMBOL_SMALL_DELTA) {
                out[pos++] = (byte) deltas[i];
            } else if (symbols[i] == SYMBOL_LARGE_DELTA) {
                NetworkBytes.putUint16(out, pos, deltas[i]);
                pos += 2;
            }
        }
        if (length != unpadded) {
            Arrays.fill(out, pos, off + length - 1, (byte) 0);
            out[off + length - 1] = (byte) (length - unpadded);
        }
        return length;
    }

    /**
     * Writes feedback straight from status symbols and receive deltas, without building a value, for a
     * receiver that produces feedback at packet rate: the same bytes {@link #build} and {@link #serialize}
     * give for the same packets (chunks chosen as libwebrtc does). Reusable and allocation-free; not
     * thread-safe.
     */
    public static final class Writer {
        private final ChunkEncoder encoder = new ChunkEncoder();
        private final int[] chunks;
        private final int maxPackets;

        /** @param maxPackets the most packets one feedback written by this writer covers */
        public Writer(int maxPackets) {
            RtcpHeader.checkRange("packets per feedback", maxPackets, 1, 0xFFFF);
            this.maxPackets = maxPackets;
            this.chunks = new int[ChunkEncoder.maxChunks(maxPackets)];
        }

        /**
         * An upper bound of the length of feedback on {@code count} packets whose receive deltas take
         * {@code deltaBytes} bytes (1 per small, 2 per large delta), padding included.
         */
        public static int maxLength(int count, int deltaBytes) {
            return (HEADER_LENGTH + 2 * ChunkEncoder.maxChunks(count) + deltaBytes + 3) & ~3;
        }

        /**
         * Writes the feedback for packets {@code baseSequenceNumber ...} whose status symbols
         * ({@link #SYMBOL_NOT_RECEIVED}, {@link #SYMBOL_SMALL_DELTA}, {@link #SYMBOL_LARGE_DELTA}) and receive
         * deltas (250 µs units; small ones 0..255, large ones a signed 16-bit value; ignored where not
         * received) are the first {@code count} entries of the arrays.
         *
         * @param referenceTime in units of 64 ms; the low 24 bits are written
         * @return the number of bytes written, a multiple of 4
         */
        public int write(byte[] out, int off, long senderSsrc, long mediaSsrc, int baseSequenceNumber,
                int referenceTime, int feedbackPacketCount, byte[] symbols, int[] deltas, int count) {
            RtcpHeader.checkRange("packet status count", count, 1, maxPackets);
            int chunkCount = encoder.encode(symbols, count, chunks);
            return TransportCc.write(out, off, senderSsrc, mediaSsrc, baseSequenceNumber & 0xFFFF, referenceTime,
                    feedbackPacketCount & 0xFF, symbols, deltas, count, chunks, chunkCount);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportCc other && other.senderSsrc == senderSsrc && other.mediaSsrc == mediaSsrc
                && other.baseSequenceNumber == baseSequenceNumber && other.referenceTime == referenceTime
                && other.feedbackPacketCount == feedbackPacketCount && Arrays.equals(other.symbols, symbols)
                && Arrays.equals(other.deltas, deltas) && Arrays.equals(other.chunks, chunks);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(senderSsrc) * 31 + baseSequenceNumber * 17 + Arrays.hashCode(deltas);
    }

    @Override
    public String toString() {
        return "TransportCc[sender=" + senderSsrc + ", media=" + mediaSsrc + ", base=" + baseSequenceNumber
                + ", count=" + symbols.length + ", referenceTime=" + referenceTime + ", fbPktCount="
                + feedbackPacketCount + ", chunks=" + chunks.length + "]";
    }

    /**
     * Packs status symbols into chunks the way libwebrtc does: symbols accumulate until the next one would not
     * fit any chunk kind; then a run length chunk is emitted if all are equal, a one-bit vector if 14 are
     * pending, else a two-bit vector of the first 7 (the rest stay pending).
     */
    private static final class ChunkEncoder {
        private final int[] pending = new int[14];
        private int size;
        private boolean allSame = true;
        private boolean hasLarge;
        private int[] out;
        private int outCount;

        /** Most chunks {@code count} symbols can take: every chunk but the last covers at least 7. */
        static int maxChunks(int count) {
            return count / 7 + 1;
        }

        int[] encode(byte[] symbols) {
            int[] chunks = new int[maxChunks(symbols.length)];
            return Arrays.copyOf(chunks, encode(symbols, symbols.length, chunks));
        }

        /** Encodes the first {@code count} symbols into {@code chunks} (room for {@link #maxChunks}); no allocation. */
        int encode(byte[] symbols, int count, int[] chunks) {
            out = chunks;
            outCount = 0;
            size = 0;
            allSame = true;
            hasLarge = false;
            for (int i = 0; i < count; i++) {
                int symbol = symbols[i];
                if (!canAdd(symbol)) {
                    emit();
                }
                add(symbol);
            }
            if (size > 0) {
                if (allSame) {
                    output((pending[0] << 13) | size);
                } else if (size <= 7) {
                    output(twoBit(size));
                } else {
                    output(oneBit(size));
                }
            }
            out = null;
            return outCount;
        }

        private boolean canAdd(int symbol) {
            return size < 7
                    || (size < 14 && !hasLarge && symbol != SYMBOL_LARGE_DELTA)
                    || (size < MAX_RUN_LENGTH && allSame && symbol == pending[0]);
        }

        private void add(int symbol) {
            if (size < pending.length) {
                pending[size] = symbol;
            }
            allSame = size == 0 || (allSame && symbol == pending[0]);
            hasLarge |= symbol == SYMBOL_LARGE_DELTA;
            size++;
        }

        private void emit() {
            if (allSame) {
                output((pending[0] << 13) | size);
                size = 0;
            } else if (size == 14) {
                output(oneBit(14));
                size = 0;
            } else {
                output(twoBit(7));
                size -= 7;
                System.arraycopy(pending, 7, pending, 0, size);
            }
            allSame = true;
            hasLarge = false;
            for (int i = 0; i < size; i++) {
                allSame &= pending[i] == pending[0];
                hasLarge |= pending[i] == SYMBOL_LARGE_DELTA;
            }
        }

        private int oneBit(int n) {
            int chunk = 0x8000;
            for (int i = 0; i < n; i++) {
                chunk |= pending[i] << (13 - i);
            }
            return chunk;
        }

        private int twoBit(int n) {
            int chunk = 0xC000;
            for (int i = 0; i < n; i++) {
                chunk |= pending[i] << (12 - 2 * i);
            }
            return chunk;
        }

        private void output(int chunk) {
            out[outCount++] = chunk;
        }
    }
}
