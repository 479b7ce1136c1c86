import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A benchmark-only prototype of the gateway's hot path on Netty's own HTTP codec and epoll transport, without
 * Vert.x, to measure what a rewrite of the forwarder on plain Netty could save (bench/gateway/run.py runs it as its
 * own column with {@code --netty}). Per request it does what Ebb's gateway does for a GET: look the Host up in a
 * map, pick one of the host's backends, forward on a keep-alive connection of the event loop's own (the most
 * recently used idle one, or a new one) with the hop-by-hop headers removed and X-Forwarded-For/-Proto/-Host and
 * X-Request-Id set, and copy the response back with the request id. Request and response objects are forwarded as
 * Netty decoded them, one flush per message end. No admission, metering, timeouts, back-pressure or access log:
 * it is the lower bound of a Netty-only forwarder, not a product.
 *
 * <p>Usage: {@code java -cp CLASSPATH NettyProxy.java PORT EVENT_LOOPS HOST=IP:PORT [HOST=IP:PORT ...]}; it listens
 * on 127.0.0.1 and prints "listening" once it accepts connections.
 */
public final class NettyProxy {

    private static final String[] HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization",
            "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade"};

    private static final Map<String, InetSocketAddress[]> ROUTES = new HashMap<>();

    /** One event loop's idle backend connections, per backend. Touched by that event loop only. */
    private static final Map<EventLoop, Map<InetSocketAddress, ArrayDeque<Channel>>> IDLE = new IdentityHashMap<>();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int eventLoops = Integer.parseInt(args[1]);
        for (int i = 2; i < args.length; i++) {
            String[] route = args[i].split("=", 2);
            String[] address = route[1].split(":");
            InetSocketAddress backend = new InetSocketAddress(address[0], Integer.parseInt(address[1]));
            ROUTES.merge(route[0], new InetSocketAddress[] {backend}, (a, b) -> {
                InetSocketAddress[] both = Arrays.copyOf(a, a.length + 1);
                both[a.length] = b[0];
                return both;
            });
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(eventLoops, EpollIoHandler.newFactory());
        group.forEach(executor -> IDLE.put((EventLoop) executor, new HashMap<>()));
        Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new Frontend());
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        System.out.println("listening on " + ((InetSocketAddress) server.localAddress()).getPort());
        server.closeFuture().sync();
    }

    /** One client connection: each request goes to a backend connection, its response comes back here. */
    private static final class Frontend extends ChannelInboundHandlerAdapter {
        private Channel backend;
        private InetSocketAddress backendAddress;
        private boolean keepAlive;
        private String requestId;
        /** What arrived while the backend connection was being opened. */
        private List<Object> pending;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                InetSocketAddress[] backends = ROUTES.get(request.headers().get(HttpHeaderNames.HOST));
                if (backends == null) {
                    ReferenceCountUtil.release(msg);
                    ctx.writeAndFlush(empty(HttpResponseStatus.NOT_FOUND));
                    return;
                }
                keepAlive = HttpUtil.isKeepAlive(request);
                requestId = requestId(request.headers().get("x-request-id"));
                prepare(request.headers(), ctx.channel());
                request.headers().set("x-request-id", requestId);
                backendAddress = backends[backends.length == 1 ? 0 : ThreadLocalRandom.current().nextInt(backends.length)];
                ArrayDeque<Channel> idle = IDLE.get(ctx.channel().eventLoop()).get(backendAddress);
                Channel reused = idle == null ? null : idle.pollFirst();
                if (reused != null && reused.isActive()) {
                    backend = reused;
                    backend.pipeline().get(Backend.class).frontend = ctx.channel();
                    backend.pipeline().get(Backend.class).owner = this;
                    forward(msg);
                } else {
                    pending = new ArrayList<>();
                    pending.add(msg);
                    ctx.channel().config().setAutoRead(false);
                    connect(ctx);
                }
                return;
            }
            if (pending != null) {
                pending.add(msg);
            } else if (backend != null) {
                forward(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        private void forward(Object msg) {
            if (msg instanceof LastHttpContent) {
                backend.writeAndFlush(msg);
            } else {
                backend.write(msg);
            }
        }

        private void connect(ChannelHandlerContext ctx) {
            Backend handler = new Backend(backendAddress);
            handler.frontend = ctx.channel();
            handler.owner = this;
            new Bootstrap().group(ctx.channel().eventLoop()).channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), handler);
                        }
                    })
                    .connect(backendAddress).addListener((ChannelFutureListener) connected -> {
                        List<Object> queued = pending;
                        pending = null;
                        ctx.channel().config().setAutoRead(true);
                        if (!connected.isSuccess()) {
                            queued.forEach(ReferenceCountUtil::release);
                            ctx.writeAndFlush(empty(HttpResponseStatus.BAD_GATEWAY));
                            return;
                        }
                        backend = connected.channel();
                        queued.forEach(this::forward);
                    });
        }

        /** The backend's response ended: the backend connection goes back to the idle ones. */
        void responseEnded(Channel from) {
            if (backend == from) {
                backend = null;
            }
            IDLE.get(from.eventLoop()).computeIfAbsent(backendAddress, a -> new ArrayDeque<>()).addFirst(from);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (backend != null) {
                backend.close();
            }
        }
    }

    /** One backend connection: relays the response to the frontend that owns it now. */
    private static final class Backend extends ChannelInboundHandlerAdapter {
        final InetSocketAddress address;
        Channel frontend;
        Frontend owner;
        /** The backend keeps this connection open after the response being relayed. */
        boolean reusable;

        Backend(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpResponse response) {
                HttpHeaders headers = response.headers();
                reusable = HttpUtil.isKeepAlive(response);
                for (String name : HOP_BY_HOP) {
                    headers.remove(name);
                }
                headers.set("x-request-id", owner.requestId);
                if (!owner.keepAlive) {
                    headers.set(HttpHeaderNames.CONNECTION, "close");
                }
                if (!HttpUtil.isContentLengthSet(response)) {
                    HttpUtil.setTransferEncodingChunked(response, true);
                }
            }
            if (msg instanceof LastHttpContent) {
                Frontend served = owner;
                boolean close = !served.keepAlive;
                frontend.writeAndFlush(msg).addListener(close ? ChannelFutureListener.CLOSE : ChannelFutureListener.CLOSE_ON_FAILURE);
                if (reusable) {
                    served.responseEnded(ctx.channel());
                } else {
                    served.backend = null;
                    ctx.close();
                }
            } else if (msg instanceof HttpObject) {
                frontend.write(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ArrayDeque<Channel> idle = IDLE.get(ctx.channel().eventLoop()).get(address);
            if (idle != null) {
                idle.remove(ctx.channel());
            }
        }
    }

    private static void prepare(HttpHeaders headers, Channel client) {
        for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                headers.remove(token.trim());
            }
        }
        String host = headers.get(HttpHeaderNames.HOST);
        for (String name : HOP_BY_HOP) {
            headers.remove(name);
        }
        String remote = ((InetSocketAddress) client.remoteAddress()).getAddress().getHostAddress();
        String forwardedFor = headers.get("x-forwarded-for");
        headers.set("x-forwarded-for", forwardedFor == null ? remote : forwardedFor + ", " + remote);
        headers.set("x-forwarded-proto", "http");
        if (host != null) {
            headers.set("x-forwarded-host", host);
        }
    }

    private static DefaultFullHttpResponse empty(HttpResponseStatus status) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        HttpUtil.setContentLength(response, 0);
        return response;
    }

    private static String requestId(String given) {
        if (given != null && !given.isEmpty() && given.length() <= 128) {
            return given;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }
}
