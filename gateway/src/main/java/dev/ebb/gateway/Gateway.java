package dev.ebb.gateway;

import dev.ebb.feed.ColdStart;
import dev.ebb.feed.LoadReport;
import dev.ebb.feed.RoutingSnapshot;
import io.netty.channel.uring.IoUring;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.transport.Transport;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: an internal and a public listener that proxy requests to revision instances (or, for a revision running
 * in other clusters, to their gateways), and a peer listener for the requests those gateways forward, on
 * Vert.x with one event loop per core. Each event loop has its own listeners and its own pooled
 * keep-alive connections to backends, so a request never crosses threads. What is shared across event
 * loops is lock-free: the instances' in-flight counters and the queues of requests waiting for an instance.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final int WARM_UP_REQUESTS = 3;
    /** Twice a second, so that a step in load reaches the autoscaler within half a second, not a whole one. */
    private static final long REPORT_INTERVAL_MILLIS = 500;
    private static final Duration DEMAND_INTERVAL = Duration.ofSeconds(1);
    /** How often each event loop looks for requests past their timeout: a timeout fires up to this much late. */
    private static final long DEADLINE_TICK_MILLIS = 50;
    /** How long a keep-alive connection to an instance stays open unused (as Vert.x's pool kept them before). */
    private static final long BACKEND_IDLE_SECONDS = 60;
    /**
     * How long stopping waits for the requests in flight (and those held for a cold start) to finish after the listeners
     * stop taking connections: Kubernetes' default termination grace period, and Spring's own for the control plane.
     */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);
    /** Connections one event loop opens to one instance; further requests go through Vert.x's pool, which queues. */
    private static final int MAX_CONNECTIONS_PER_INSTANCE = 1024;
    /**
     * Connections being opened to one instance at a time, by all event loops together: well under the listen backlog
     * of common servers (50 for the JDK's, 100 Tomcat's, 128 and more elsewhere), and still hundreds a millisecond.
     */
    private static final int MAX_CONNECTING_PER_INSTANCE = 32;
    /** The port of a listener that is not opened. */
    private static final int NO_LISTENER = Integer.MIN_VALUE;
    /** Netty's switch for io_uring waits that the kernel does not count as iowait (off by default in Netty 4.2.18). */
    private static final String IO_URING_NO_IOWAIT = "io.netty.iouring.enterNoIoWaitEnabled";

    private final GatewayProperties properties;
    private final RoutingState routes;
    private final LoadSink sink;
    private final OutputStream accessLogOut;
    private final List<HttpServer> publicServers = new CopyOnWriteArrayList<>();
    /** With mutual TLS between clusters: every event loop's peer listener, and its clients to peers. */
    private final List<HttpServer> peerServers = new CopyOnWriteArrayList<>();
    private final List<HttpClientAgent> peerClients = new CopyOnWriteArrayList<>();
    /** Every listener of every event loop, so that stopping can shut them all down before the loops stop. */
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private TransportChoice transport;
    private int port;
    private int publicPort;
    private int peerPort = -1;
    private PeerProbes peerProbes;
    /** The public listener's certificate and key, null without TLS there. */
    private PemFiles.Contents certificate;
    /**
     * This gateway's certificate for the hop between clusters and the CA it checks peers with, as the listeners started
     * with it; null for plain HTTP.
     */
    private PeerTls peerTls;
    /** Lines about clients the peer listener refused at the handshake: one a minute per address (per reason where the address is unknown). */
    private final LogLimiter peerRefusals = new LogLimiter(PeerTls.REFUSAL_LOG_INTERVAL_NANOS, PeerTls.REFUSAL_LOG_ADDRESSES);
    /** Set when stopping begins: {@code /readyz} says so, and every response asks its client to close the connection. */
    private volatile boolean draining;
    private Admission admission;
    private LoadReporter reporter;
    /** The load report's and the certificate watches' periodic timers, cancelled before the event loops stop. */
    private final List<Long> timers = new ArrayList<>();
    private AccessLog accessLog;

    /** A gateway nobody autoscales behind: what it sees of load goes nowhere. */
    public Gateway(GatewayProperties properties, RoutingState routes) {
        this(properties, routes, LoadSink.NONE);
    }

    /** @param sink where load reports, demand for revisions at zero and cold starts go */
    public Gateway(GatewayProperties properties, RoutingState routes, LoadSink sink) {
        this(properties, routes, sink, System.out);
    }

    /** @param accessLogOut where the access lines go: standard output but in tests */
    Gateway(GatewayProperties properties, RoutingState routes, LoadSink sink, OutputStream accessLogOut) {
        this.properties = properties;
        this.routes = routes;
        this.sink = sink;
        this.accessLogOut = accessLogOut;
    }

    /** Binds both listeners and returns once they accept connections. */
    public synchronized void start() {
        PemFiles peerFiles = properties.peerTlsEnabled() ? PeerTls.files(properties.peerTls()) : null;
        PemFiles.Contents peerPem = peerFiles == null ? null : peerFiles.read();
        if (peerPem != null) {
            peerTls = PeerTls.of(peerPem, peerRefusals);
        }
        int eventLoops = Runtime.getRuntime().availableProcessors();
        boolean ioUringIdlesQuietly = ioUringIdlesQuietly(); // before anything here asks Netty about io_uring
        transport = TransportChoice.choose(properties.transport(), Transport::unavailabilityCause, ioUringIdlesQuietly);
        // The gateway's code loads no classes through the thread's context class loader: Vert.x need not set it on
        // every event it dispatches.
        vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(eventLoops).setDisableTCCL(true))
                .withTransport(transport.transport()).build();
        peerProbes = PeerProbes.start(vertx, routes, properties.peerProbeInterval(), peerTls);
        admission = new Admission(routes, sink, properties.queueDepth(), DEMAND_INTERVAL, peerProbes);
        accessLog = AccessLog.start(accessLogOut, AccessLog.DEFAULT_CAPACITY);
        reporter = new LoadReporter(ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8),
                properties.cluster(), admission, sink, peerProbes::health);
        GatewayProperties.Tls tls = properties.tls();
        PemFiles publicTls = tls != null && tls.enabled()
                ? new PemFiles("the public TLS certificate", List.of(tls.certificate(), tls.key())) : null;
        if (publicTls != null) {
            certificate = publicTls.read();
        }
        // Vert.x shares a port among the servers of all event loops; a negative port is its way of sharing one free port.
        int internalPort = properties.port() == 0 ? -1 : properties.port();
        int externalPort = properties.publicPort() == 0 ? -2 : properties.publicPort();
        Integer peer = properties.peerPort();
        int peerListenerPort = peer == null ? NO_LISTENER : peer == 0 ? -3 : peer;
        List<ListenerVerticle> listeners = new CopyOnWriteArrayList<>();
        Stage served = new Stage(routes, admission, sink, peerProbes, false);
        await(vertx.deployVerticle(() -> {
            ListenerVerticle listener = new ListenerVerticle(served, internalPort, externalPort, peerListenerPort,
                    Math.max(1, MAX_CONNECTING_PER_INSTANCE / eventLoops));
            listeners.add(listener);
            return listener;
        }, new DeploymentOptions().setInstances(eventLoops)));
        port = listeners.get(0).internal.actualPort();
        publicPort = listeners.get(0).external.actualPort();
        if (listeners.get(0).peer != null) {
            peerPort = listeners.get(0).peer.actualPort();
        }
        if (publicTls != null) {
            timers.add(publicTls.watch(vertx, tls.reloadInterval(), certificate, this::usePublicCertificate));
        }
        if (peerFiles != null) {
            timers.add(peerFiles.watch(vertx, properties.peerTls().reloadInterval(), peerPem, this::usePeerCertificate));
        }
        timers.add(vertx.setPeriodic(REPORT_INTERVAL_MILLIS, id -> reporter.tick()));
        warmUp();
        rehearseColdStart();
        log.info("Gateway{} listening on {}:{} (internal) and {}:{} (public{}){}, routing snapshot {}, transport {}",
                properties.cluster() == null ? "" : " of cluster " + properties.cluster(), properties.host(), port, properties.host(),
                publicPort, certificate != null ? ", TLS" : "",
                peerPort < 0 ? "" : " and " + properties.host() + ":" + peerPort + " (peer" + (peerTls != null ? ", mutual TLS)" : ")"),
                routes.version(), transport.description());
    }

    /**
     * Sends a few requests through the internal listener with an HTTP client like the one that forwards, before the
     * gateway counts as started: the first request a gateway serves otherwise pays for loading and compiling both
     * sides' HTTP code, a quarter of a second here, and after a start that is often a cold start's request. They go to
     * no service (answered 404) and show in the access log with request ids {@code ebb-warm-up-N}.
     */
    private void warmUp() {
        String host = "0.0.0.0".equals(properties.host()) || "::".equals(properties.host()) ? "127.0.0.1" : properties.host();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true));
        try {
            for (int i = 1; i <= WARM_UP_REQUESTS; i++) {
                RequestOptions request = new RequestOptions().setHost(host).setPort(port).setURI("/")
                        .putHeader("x-request-id", "ebb-warm-up-" + i);
                await(client.request(request).compose(sent -> sent.send().compose(HttpClientResponse::body)), 5);
            }
        } catch (RuntimeException e) {
            log.debug("Warming up the gateway's request path failed; the first request pays for it instead", e);
        } finally {
            client.close();
        }
    }

    /**
     * Rehearses a cold start before the gateway counts as started, on a listener of its own (an ephemeral loopback port
     * routing by a private table, which nothing else sees): one request for a revision at zero is held, its demand
     * "starts" an instance (a loopback server of the rehearsal's own, published as the revision's endpoint the way a
     * snapshot from the control plane does), and the request is let go and forwarded to it. Without it the first real
     * cold start after a gateway's start paid some 40 ms more than the later ones, loading and running the code that
     * holds, wakes and forwards for the first time. Shows in the access log with request id {@code ebb-rehearsal}.
     */
    private void rehearseColdStart() {
        HttpServer instance = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true))
                .requestHandler(request -> request.response().end("rehearsed"));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true));
        String deployment = null;
        try {
            int instancePort = await(instance.listen()).actualPort();
            Rehearsal rehearsal = new Rehearsal(instancePort);
            RoutingState stage = new RoutingState(Rehearsal.DOMAINS, null);
            stage.apply(rehearsal.atZero());
            LoadSink started = new LoadSink() {
                @Override
                public void report(LoadReport report) {
                }

                @Override
                public void demand(String namespace, String revision) {
                    // As the control plane would: later, from another thread, a snapshot with the new instance in it.
                    vertx.setTimer(1, id -> stage.apply(rehearsal.ready()));
                }

                @Override
                public void coldStart(ColdStart coldStart) {
                }
            };
            ListenerVerticle listener = new ListenerVerticle(new Stage(stage, new Admission(stage, started, 1, DEMAND_INTERVAL), started,
                    PeerHealthView.ALL_REACHABLE, true), 0, 0, NO_LISTENER, MAX_CONNECTING_PER_INSTANCE);
            deployment = await(vertx.deployVerticle(listener));
            RequestOptions request = new RequestOptions().setHost("127.0.0.1").setPort(listener.internal.actualPort()).setURI("/")
                    .putHeader("host", Rehearsal.HOST).putHeader("x-request-id", "ebb-rehearsal");
            await(client.request(request).compose(sent -> sent.send().compose(HttpClientResponse::body)), 5);
        } catch (RuntimeException e) {
            log.debug("Rehearsing a cold start failed; the first real one pays for it instead", e);
        } finally {
            if (deployment != null) {
                vertx.undeploy(deployment);
            }
            client.close();
            instance.close();
        }
    }

    /** The Vert.x the listeners run on, for the health listener beside them; null before {@link #start()}. */
    synchronized Vertx vertx() {
        return vertx;
    }

    /**
     * Asks Netty's io_uring event loops to wait without the kernel counting it as iowait (ignored where the kernel
     * cannot, before 6.15), unless the JVM's options already say, and answers whether they will. Netty reads the
     * property once, when its io_uring support first loads: here, as nothing else in Ebb uses io_uring, unless
     * something asked Netty about io_uring before (then the answer is no, and {@code auto} takes epoll, saying so).
     */
    static boolean ioUringIdlesQuietly() {
        if (System.getProperty(IO_URING_NO_IOWAIT) == null) {
            System.setProperty(IO_URING_NO_IOWAIT, "true");
        }
        return IoUring.isIoringEnterNoIoWaitEnabled();
    }

    /** The transport the event loops run on, once started. */
    TransportChoice transport() {
        return transport;
    }

    /** The internal listener's port. */
    public int port() {
        return port;
    }

    /** How many instances of a revision this gateway routes to now: 0 when it is at zero or unknown here. */
    public int routedInstances(String namespace, String revision) {
        RevisionRoute route = routes.table().revision(RevisionRoute.key(namespace, revision));
        return route == null ? 0 : route.instanceCount();
    }

    /** The peer listener's port, or -1 when the gateway has none ({@code ebb.gateway.peer-port} unset). */
    public int peerPort() {
        return peerPort;
    }

    /** The public listener's port. */
    public int publicPort() {
        return publicPort;
    }

    /** Requests held now per revision ({@code namespace/name}), for those that hold any. */
    Map<String, Integer> queued() {
        return admission.queued();
    }

    /** Whether the gateway is stopping: it may still take connections for its drain delay, but wants none. */
    boolean draining() {
        return draining;
    }

    /**
     * Begins to stop: {@code /readyz} answers 503 and responses close their connections from now on, and this returns
     * after the drain delay, with the listeners still open. Called when the application begins to close, before the
     * health listener goes; {@link #close()} calls it too, and it waits only once. Interrupting the thread that waits
     * ends the delay early.
     */
    public void drain() {
        if (draining) {
            return;
        }
        draining = true;
        long delay = properties.drainDelay() == null ? 0 : properties.drainDelay().toMillis();
        if (delay <= 0 || vertx == null) {
            return;
        }
        log.info("Stopping: /readyz answers 503; taking connections for {} ms more (EBB_GATEWAY_DRAIN_DELAY)", delay);
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            // An interrupt only cuts the delay short: the stop goes on, and the interrupt is not passed on, since it
            // would make the waits for the listeners to close give up and leave them open.
            log.info("Drain delay cut short; stopping now");
        }
    }

    /**
     * Goes on taking connections for the drain delay while {@code /readyz} answers 503 (a load balancer in front so stops
     * sending new ones; connections still in the kernel's accept queue when the listeners close are reset, and behind a
     * Service there are none by then), then stops taking connections, lets the requests in flight finish (for up to
     * {@link #SHUTDOWN_GRACE}), says so in a last load report, and writes the access lines of the requests the listeners
     * served. A gateway restarted under load so loses no request it accepted, and the autoscaler does not keep what it
     * last showed load for as it would for a gateway that fell silent.
     */
    @Override
    public synchronized void close() {
        try {
            if (vertx != null) {
                drain();
                // Vert.x closes servers at once, cutting the requests they serve. A shutdown unbinds a server, closes each
                // HTTP/1.1 connection after its current exchange (HTTP/2: GOAWAY) and waits for them; done for every
                // listener before the event loops stop, so a connection accepted meanwhile still has a loop to run on.
                peerProbes.close();
                long grace = SHUTDOWN_GRACE.toMillis();
                await(Future.join(servers.stream().map(server -> server.shutdown(grace, TimeUnit.MILLISECONDS)).toList()),
                        SHUTDOWN_GRACE.toSeconds() + START_TIMEOUT_SECONDS);
                timers.forEach(vertx::cancelTimer);
                timers.clear();
                sayFarewell();
                await(vertx.close());
                vertx = null;
            }
        } finally {
            if (accessLog != null) {
                accessLog.close();
                accessLog = null;
            }
        }
    }

    private void sayFarewell() {
        try {
            sink.farewell(await(reporter.last()));
        } catch (RuntimeException e) {
            log.warn("Could not send the gateway's last load report: {}", e.toString());
        }
    }

    private static <T> T await(Future<T> future) {
        return await(future, START_TIMEOUT_SECONDS);
    }

    private static <T> T await(Future<T> future, long seconds) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting or stopping the gateway", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The gateway could not start or stop: " + e.getMessage(), e);
        }
    }

    /** New connections to the public listener get this certificate. */
    private void usePublicCertificate(PemFiles.Contents next) {
        for (HttpServer server : publicServers) {
            ServerSSLOptions options = new ServerSSLOptions().setUseAlpn(true).setKeyCertOptions(keyCert(next));
            server.updateSSLOptions(options, true).onFailure(e -> log.warn("Could not load the new TLS certificate: {}", e.getMessage()));
        }
    }

    /**
     * New connections to and from the other clusters' gateways use this certificate and CA bundle. A bundle that cannot
     * be read throws, and everything keeps the current one.
     */
    private void usePeerCertificate(PemFiles.Contents next) {
        PeerTls tls = PeerTls.of(next, peerRefusals);
        for (HttpServer server : peerServers) {
            server.updateSSLOptions(tls.server(), true).onFailure(e -> log.warn("Could not load the new peer TLS certificate: {}", e.getMessage()));
        }
        for (HttpClientAgent client : peerClients) {
            client.updateSSLOptions(tls.client(), true);
        }
        peerProbes.use(tls);
    }

    /** A certificate chain and its key, the first two of {@code pem}'s files. */
    private static PemKeyCertOptions keyCert(PemFiles.Contents pem) {
        return new PemKeyCertOptions().setCertValue(pem.file(0)).setKeyValue(pem.file(1));
    }

    /** One event loop's listeners, forwarders, request timeouts, access lines and backend connection pools. */
    private final class ListenerVerticle extends VerticleBase {

        private final Stage stage;
        private final int internalPort;
        private final int externalPort;
        private final int peerPort;
        private final int maxConnecting;
        HttpServer internal;
        HttpServer external;
        /** Null without a peer listener. */
        HttpServer peer;
        /** This loop's requests waiting for their answers. */
        private Deadlines deadlines;
        /** The timer that expires {@link #deadlines}, -1 while no request waits (an idle loop sleeps). */
        private long deadlineTimer = -1;

        /** @param peerPort the peer listener's port, {@link #NO_LISTENER} for none */
        ListenerVerticle(Stage stage, int internalPort, int externalPort, int peerPort, int maxConnecting) {
            this.stage = stage;
            this.internalPort = internalPort;
            this.externalPort = externalPort;
            this.peerPort = peerPort;
            this.maxConnecting = maxConnecting;
        }

        /** A request started waiting while none did: tick until none waits any more. */
        private void tickDeadlines() {
            if (deadlineTimer >= 0) {
                return;
            }
            deadlineTimer = vertx.setPeriodic(DEADLINE_TICK_MILLIS, id -> {
                deadlines.expire(System.nanoTime());
                if (deadlines.isEmpty()) {
                    vertx.cancelTimer(id);
                    deadlineTimer = -1;
                }
            });
        }

        @Override
        public Future<?> start() {
            LoadMeter meter = new LoadMeter(System.nanoTime());
            if (!stage.rehearsal()) {
                reporter.add(context, meter);
            }
            deadlines = new Deadlines(this::tickDeadlines);
            AccessLog.Loop lines = accessLog.loop();
            HttpClientAgent http1 = vertx.createHttpClient(backendOptions(), new PoolOptions().setHttp1MaxSize(1024).setHttp2MaxSize(8));
            BackendConnections connections = new BackendConnections(http1, TimeUnit.SECONDS.toNanos(BACKEND_IDLE_SECONDS),
                    MAX_CONNECTIONS_PER_INSTANCE, maxConnecting);
            vertx.setPeriodic(1_000, id -> connections.expire(System.nanoTime()));
            HttpClient h2c = vertx.createHttpClient(backendOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false),
                    new PoolOptions().setHttp2MaxSize(8));
            PeerTls tls = stage.rehearsal() ? null : peerTls;
            Forwarder.PeerClients toPeers = null;
            if (tls != null) {
                HttpClientAgent peerHttp1 = vertx.createHttpClient(tls.connect(backendOptions()), new PoolOptions().setHttp1MaxSize(1024));
                HttpClientAgent peerH2 = vertx.createHttpClient(tls.connect(backendOptions().setProtocolVersion(HttpVersion.HTTP_2)),
                        new PoolOptions().setHttp2MaxSize(8));
                BackendConnections peerConnections = new BackendConnections(peerHttp1, TimeUnit.SECONDS.toNanos(BACKEND_IDLE_SECONDS),
                        MAX_CONNECTIONS_PER_INSTANCE, maxConnecting);
                vertx.setPeriodic(1_000, id -> peerConnections.expire(System.nanoTime()));
                peerClients.add(peerHttp1);
                peerClients.add(peerH2);
                toPeers = new Forwarder.PeerClients(peerHttp1, peerH2, peerConnections);
            }
            internal = vertx.createHttpServer(serverOptions(internalPort))
                    .requestHandler(forwarder(Listener.INTERNAL, http1, h2c, connections, toPeers, meter, deadlines, lines));
            HttpServerOptions publicOptions = serverOptions(externalPort);
            PemFiles.Contents pem = stage.rehearsal() ? null : certificate;
            if (pem != null) {
                publicOptions.setSsl(true).setUseAlpn(true).setKeyCertOptions(keyCert(pem));
            }
            external = vertx.createHttpServer(publicOptions).requestHandler(forwarder(Listener.PUBLIC, http1, h2c, connections, toPeers, meter, deadlines, lines));
            if (pem != null) {
                publicServers.add(external);
            }
            if (peerPort != NO_LISTENER) {
                HttpServerOptions peerOptions = serverOptions(peerPort);
                peer = vertx.createHttpServer(tls == null ? peerOptions : tls.serve(peerOptions))
                        .requestHandler(forwarder(Listener.PEER, http1, h2c, connections, toPeers, meter, deadlines, lines));
                if (tls != null) {
                    peer.exceptionHandler(tls::handshakeFailed);
                    peerServers.add(peer);
                }
            }
            if (!stage.rehearsal()) {
                servers.add(internal);
                servers.add(external);
                if (peer != null) {
                    servers.add(peer);
                }
            }
            return peer == null ? Future.all(internal.listen(), external.listen())
                    : Future.all(internal.listen(), external.listen(), peer.listen());
        }

        private Forwarder forwarder(Listener listener, HttpClient http1, HttpClient h2c, BackendConnections connections,
                Forwarder.PeerClients toPeers, LoadMeter meter, Deadlines deadlines, AccessLog.Loop lines) {
            return new Forwarder(context, listener, stage.routes(), http1, h2c, connections, stage.admission(), meter, stage.sink(),
                    deadlines, lines, properties.requestMetrics(), Gateway.this::draining, stage.peers(), toPeers);
        }

        private HttpServerOptions serverOptions(int port) {
            return new HttpServerOptions()
                    .setHost(stage.rehearsal() ? "127.0.0.1" : properties.host())
                    .setPort(port)
                    .setTcpNoDelay(true)
                    .setCompressionSupported(false)
                    // WebSocket extensions are the client's and the instance's to agree on: the gateway passes the
                    // handshake through and then only copies bytes, so it offers none itself (and parses no request
                    // and no response on their behalf).
                    .setPerMessageWebSocketCompressionSupported(false)
                    .setPerFrameWebSocketCompressionSupported(false)
                    .setHttp2ClearTextEnabled(true);
        }

        private static HttpClientOptions backendOptions() {
            return new HttpClientOptions()
                    .setKeepAlive(true)
                    .setKeepAliveTimeout(60)
                    .setTcpNoDelay(true)
                    .setConnectTimeout(5_000)
                    .setDecompressionSupported(false);
        }
    }

    /**
     * What a set of listeners routes by and reports to: the gateway's own, or a cold-start rehearsal's, whose listeners
     * are no part of the gateway's load reports, its TLS or its stopping.
     */
    private record Stage(RoutingState routes, Admission admission, LoadSink sink, PeerHealthView peers, boolean rehearsal) {
    }

    /** The routing of the cold-start rehearsal: one cluster-local service whose revision is at zero, then has one instance. */
    private record Rehearsal(int instancePort) {

        static final GatewayDomains DOMAINS = new GatewayDomains("svc.cluster.local", "invalid");
        static final String HOST = "rehearsal.ebb-gateway.svc.cluster.local";

        RoutingSnapshot atZero() {
            return snapshot(1, List.of());
        }

        RoutingSnapshot ready() {
            return snapshot(2, List.of(new RoutingSnapshot.Endpoint("rehearsal-00001-a", "127.0.0.1", instancePort)));
        }

        private static RoutingSnapshot snapshot(long version, List<RoutingSnapshot.Endpoint> endpoints) {
            return new RoutingSnapshot(version,
                    List.of(new RoutingSnapshot.Service("ebb-gateway", "rehearsal", RoutingSnapshot.Visibility.CLUSTER_LOCAL,
                            List.of(new RoutingSnapshot.Target("rehearsal-00001", 100, null)))),
                    List.of(new RoutingSnapshot.Revision("ebb-gateway", "rehearsal-00001", "rehearsal", RoutingSnapshot.Protocol.HTTP1,
                            5, 0, endpoints)));
        }
    }
}
