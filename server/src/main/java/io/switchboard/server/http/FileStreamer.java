package io.switchboard.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Streams a file's bytes as the body of a response whose head is already written. Reads happen
 * on a blocking-I/O executor, never on the event loop, one {@link #CHUNK} at a time: the next
 * chunk is read while the previous one is written, and written only once that write has
 * completed, so a download holds at most two chunks in memory however large the file or slow
 * the client. A file that ends early or fails to read closes the connection (its
 * Content-Length can no longer be met).
 */
final class FileStreamer {
    /** Bytes read and written at a time. */
    static final int CHUNK = 64 * 1024;

    private final ChannelHandlerContext ctx;
    private final FileChannel file;
    private final long size;
    private final Executor io;
    private final boolean keepAlive;
    private final CompletableFuture<Void> done;

    FileStreamer(ChannelHandlerContext ctx, FileChannel file, long size, Executor io, boolean keepAlive,
                 CompletableFuture<Void> done) {
        this.ctx = ctx;
        this.file = file;
        this.size = size;
        this.io = io;
        this.keepAlive = keepAlive;
        this.done = done;
    }

    /** Starts after {@code headWritten}; {@code done} completes when the last byte is written or the stream failed. */
    void start(ChannelFuture headWritten) {
        readFrom(0, headWritten);
    }

    private void readFrom(long position, ChannelFuture previous) {
        try {
            io.execute(() -> {
                ByteBuf buf = null;
                try {
                    int n = (int) Math.min(CHUNK, size - position);
                    buf = ctx.alloc().buffer(n);
                    while (buf.writerIndex() < n) {
                        if (buf.writeBytes(file, position + buf.writerIndex(), n - buf.writerIndex()) < 0) {
                            throw new IOException("the file ended before its size");
                        }
                    }
                    ByteBuf chunk = buf;
                    previous.addListener(f -> writeChunk(f.isSuccess(), chunk, position + n));
                } catch (IOException | RuntimeException e) {
                    if (buf != null) {
                        buf.release();
                    }
                    previous.addListener(f -> fail());
                }
            });
        } catch (RuntimeException rejected) {
            previous.addListener(f -> fail());
        }
    }

    /** On the event loop once the previous write completed. */
    private void writeChunk(boolean previousOk, ByteBuf chunk, long next) {
        if (!previousOk || !ctx.channel().isActive()) {
            chunk.release();
            fail();
            return;
        }
        ChannelFuture w = ctx.writeAndFlush(new DefaultHttpContent(chunk));
        if (next < size) {
            readFrom(next, w);
            return;
        }
        ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
            last.addListener(ChannelFutureListener.CLOSE);
        }
        last.addListener(f -> finish());
    }

    private void fail() {
        ctx.close();
        finish();
    }

    private void finish() {
        try {
            file.close();
        } catch (IOException ignored) {
            // read-only; nothing was lost
        }
        done.complete(null);
    }
}
