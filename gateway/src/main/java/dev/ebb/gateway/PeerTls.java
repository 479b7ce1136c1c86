package dev.ebb.gateway;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.net.TrustOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mutual TLS on the hop between clusters, from one reading of the PEM files: this gateway's certificate and key, and
 * the CA bundle. The peer listener serves the certificate (ALPN h2 and http/1.1) and takes only clients whose
 * certificate the CA signed; the clients that forward and probe present it and take only a peer whose certificate the
 * CA signed for the address they dialled (HTTPS endpoint identification). A client refused at the handshake is logged
 * at most once a minute per remote address.
 */
final class PeerTls {

    private static final Logger log = LoggerFactory.getLogger(PeerTls.class);
    /** Files in the order {@link PemFiles.Contents#file} answers them. */
    private static final int CERTIFICATE = 0;
    private static final int KEY = 1;
    private static final int CA = 2;
    /** How often a refused client's address is logged at most. */
    static final long REFUSAL_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** How many addresses the refusal log keeps apart. */
    static final int REFUSAL_LOG_ADDRESSES = 10_000;

    private final PemKeyCertOptions keyCert;
    private final X509ExtendedTrustManager trust;
    private final LogLimiter refusals;

    private PeerTls(PemKeyCertOptions keyCert, X509ExtendedTrustManager trust, LogLimiter refusals) {
        this.keyCert = keyCert;
        this.trust = trust;
        this.refusals = refusals;
    }

    /** The files the settings name, in the order {@link #of} reads them. */
    static PemFiles files(GatewayProperties.PeerTls settings) {
        return new PemFiles("the peer TLS certificate", List.of(settings.certificate(), settings.key(), settings.ca()));
    }

    /**
     * The material in {@code pem}, refusing clients with lines {@code refusals} lets through; a CA bundle without a
     * certificate in it fails with a sentence saying so.
     */
    static PeerTls of(PemFiles.Contents pem, LogLimiter refusals) {
        PemKeyCertOptions keyCert = new PemKeyCertOptions().setCertValue(pem.file(CERTIFICATE)).setKeyValue(pem.file(KEY));
        return new PeerTls(keyCert, trustManager(pem.files().get(CA)), refusals);
    }

    /** Makes {@code options} (the peer listener's) speak only TLS and require a client certificate the CA signed. */
    HttpServerOptions serve(HttpServerOptions options) {
        return options.setSsl(true).setUseAlpn(true).setKeyCertOptions(keyCert).setTrustOptions(TrustOptions.wrap(new RefusalLog(trust, refusals)))
                .setClientAuth(ClientAuth.REQUIRED);
    }

    /** The same, for a peer listener already open: its new connections use these. */
    ServerSSLOptions server() {
        return new ServerSSLOptions().setUseAlpn(true).setKeyCertOptions(keyCert).setTrustOptions(TrustOptions.wrap(new RefusalLog(trust, refusals)))
                .setClientAuth(ClientAuth.REQUIRED);
    }

    /** Makes {@code options} (a client's to peers) speak TLS, present this gateway's certificate and verify the peer's. */
    HttpClientOptions connect(HttpClientOptions options) {
        return options.setSsl(true).setUseAlpn(true).setVerifyHost(true).setKeyCertOptions(keyCert).setTrustOptions(TrustOptions.wrap(trust));
    }

    /** The same, for a client already made: its new connections use these. */
    ClientSSLOptions client() {
        return new ClientSSLOptions().setUseAlpn(true).setHostnameVerificationAlgorithm("HTTPS").setKeyCertOptions(keyCert)
                .setTrustOptions(TrustOptions.wrap(trust));
    }

    /**
     * A handshake on the peer listener failed before a request: logged unless the certificate check logged it already
     * (with the client's address, which this does not get), each reason at most once a minute.
     */
    void handshakeFailed(Throwable failure) {
        if (RefusalLog.checked(failure)) {
            return;
        }
        String reason = TlsFailures.ofClient(failure);
        if (reason != null && refusals.admits(reason, System.nanoTime())) {
            log.warn("A TLS handshake on the peer listener failed: {} (at most one such line a minute)", reason);
        }
    }

    private static X509ExtendedTrustManager trustManager(byte[] pem) {
        try {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("The peer CA bundle (ebb.gateway.peer-tls.ca) holds no certificate.");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate ca : cas) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("The JDK has no X.509 trust manager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("The peer CA bundle (ebb.gateway.peer-tls.ca) cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Checks client certificates against the CA, logging a refused one with the address it came from (which the
     * listener's exception handler does not get), at most once a minute per address.
     */
    private static final class RefusalLog extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager delegate;
        private final LogLimiter refusals;

        RefusalLog(X509ExtendedTrustManager delegate, LogLimiter refusals) {
            this.delegate = delegate;
            this.refusals = refusals;
        }

        /** Whether the certificate check refused the handshake {@code failure} ended, and so logged it. */
        static boolean checked(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof Refused) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            try {
                delegate.checkClientTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                String remote = engine == null ? null : engine.getPeerHost();
                throw refused(remote, e, chain);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        /**
         * None named: a JDK client whose certificate another CA signed would otherwise send no certificate at all, and
         * its refusal would show without the certificate's subject. Each gateway has one certificate to choose anyway.
         */
        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }

        private Refused refused(String remote, CertificateException failure, X509Certificate[] chain) {
            String address = remote == null ? "an unknown address" : remote;
            if (refusals.admits(address, System.nanoTime())) {
                String subject = chain == null || chain.length == 0 ? "no certificate" : chain[0].getSubjectX500Principal().getName();
                String reason = TlsFailures.ofClient(failure);
                log.warn("Refused a connection on the peer listener from {} ({}): {} (at most one such line a minute per address)",
                        address, subject, reason == null ? failure.getMessage() : reason);
            }
            return new Refused(failure);
        }
    }

    /** A client certificate the CA does not vouch for, already logged. */
    private static final class Refused extends CertificateException {

        Refused(CertificateException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
