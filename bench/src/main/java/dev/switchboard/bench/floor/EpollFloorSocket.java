package dev.switchboard.bench.floor;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The floor relay's socket over Netty's epoll transport, for evaluating batched UDP I/O against the bridge's
 * blocking {@code DatagramChannel} (docs/benchmark.md, "Batched socket I/O"). Receiving uses recvmmsg (up to
 * 16 datagrams per system call: {@code MAX_DATAGRAM_PAYLOAD_SIZE} 1500 with a 24,000-byte receive buffer) on
 * the one event-loop thread; sends are written from the forwarding thread and flushed once per received
 * packet, so that the fan-out to a room leaves in one sendmmsg on the event loop.
 */
final class EpollFloorSocket {
    /** A received datagram; {@code array} is valid for the call only. */
    interface Receiver {
        void receive(byte[] array, int off, int len, InetSocketAddress from);
    }

    private static final int MAX_DATAGRAM = 1500;
    private static final int BATCH = 16;

    private final EventLoopGroup group;
    private final Channel channel;

    EpollFloorSocket(int port, Receiver receiver) throws IOException {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("floor-udp", true),
                EpollIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * BATCH))
                .handler(new ChannelInboundHandlerAdapter() {
                    private final byte[] rx = new byte[2048];

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        DatagramPacket packet = (DatagramPacket) msg;
                        try {
                            ByteBuf content = packet.content();
                            int len = Math.min(content.readableBytes(), rx.length);
                            content.getBytes(content.readerIndex(), rx, 0, len);
                            receiver.receive(rx, 0, len, packet.sender());
                        } finally {
                            packet.release();
                        }
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                        ctx.flush(); // what the event loop itself wrote for this batch (inline forwarding)
                    }
                });
        try {
            channel = bootstrap.bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully();
            throw new IOException("interrupted while binding", e);
        }
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Queues a copy of {@code len} bytes for {@code to}; leaves at the next {@link #flush()}. */
    void send(byte[] array, int off, int len, InetSocketAddress to) {
        ByteBuf copy = channel.alloc().directBuffer(len);
        copy.writeBytes(array, off, len);
        channel.write(new DatagramPacket(copy, to), channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    void close() {
        channel.close();
        group.shutdownGracefully();
    }
}
