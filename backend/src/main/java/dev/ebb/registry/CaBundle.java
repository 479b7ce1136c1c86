package dev.ebb.registry;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A PEM bundle of CA certificates that a registry's TLS certificate is checked against. */
public final class CaBundle {

    private CaBundle() {
    }

    /** The certificates of a PEM bundle; throws when it holds none or one is malformed. */
    public static List<Certificate> certificates(String pem) throws CertificateException {
        List<Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        if (certificates.isEmpty()) {
            throw new CertificateException("no certificate found");
        }
        return certificates;
    }

    /** Why {@code pem} is not a usable CA bundle, or null when it is. */
    static String problem(String pem) {
        if (pem.isBlank()) {
            return "must not be blank; leave it out to trust the CAs Ebb's JVM trusts";
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            return "must be one or more PEM certificates, each from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----";
        }
        try {
            certificates(pem);
            return null;
        } catch (CertificateException e) {
            return "holds a certificate that cannot be read (" + e.getMessage() + "); give the CA certificates in PEM";
        }
    }

    /** A TLS context that trusts exactly the bundle's certificates. */
    public static SSLContext trusting(String pem) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("an empty key store could not be made", e);
        }
        int i = 0;
        for (Certificate certificate : certificates(pem)) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
