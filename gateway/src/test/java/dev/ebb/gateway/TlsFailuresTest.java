package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.NotSslRecordException;
import java.net.ConnectException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The JDK's TLS failures, as the hop between clusters and the peer listener put them (the messages JDK 17 gives). */
class TlsFailuresTest {

    @Test
    void aPeerCertificateFromAnotherCaIsNotSignedByThePeerCa() {
        SSLHandshakeException failure = handshake("PKIX path building failed: unable to find valid certification path to requested"
                + " target", new CertificateException("PKIX path building failed", new CertPathBuilderException("unable to find valid"
                + " certification path to requested target")));

        assertThat(TlsFailures.ofPeer(failure, "10.0.0.7")).isEqualTo("TLS handshake failed: its certificate is not signed by the"
                + " peer CA (ebb.gateway.peer-tls.ca)");
        assertThat(TlsFailures.ofClient(failure)).isEqualTo("its client certificate is not signed by the peer CA (ebb.gateway.peer-tls.ca)");
    }

    @Test
    void aPeerCertificateWithoutTheDialledAddressIsANameMismatchNamingTheAddress() {
        SSLHandshakeException failure = handshake("No subject alternative names matching IP address 10.0.0.7 found",
                new CertificateException("No subject alternative names matching IP address 10.0.0.7 found"));

        assertThat(TlsFailures.ofPeer(failure, "10.0.0.7")).startsWith("TLS handshake failed: name mismatch, its certificate does not"
                + " name 10.0.0.7 (each gateway's certificate must carry the address");
    }

    @Test
    void anExpiredCertificateSaysSo() {
        SSLHandshakeException failure = handshake("PKIX path validation failed", new CertificateException("validity check failed",
                new CertificateExpiredException("NotAfter: Mon Jan 01 00:00:00 UTC 2024")));

        assertThat(TlsFailures.ofPeer(failure, "gw.eu.example")).isEqualTo("TLS handshake failed: its certificate has expired");
    }

    @Test
    void aPeerThatRefusesThisGatewaysCertificateIsToldApartByItsAlert() {
        assertThat(TlsFailures.ofPeer(new SSLHandshakeException("Received fatal alert: certificate_unknown"), "10.0.0.7"))
                .isEqualTo("TLS handshake failed: it refused this gateway's client certificate (TLS alert certificate_unknown; is it"
                        + " signed by a CA in that gateway's ebb.gateway.peer-tls.ca?)");
    }

    @Test
    void aClientThatRefusesThisGatewaysCertificateIsToldApartFromOneThatEndsTheHandshakeForAnotherReason() {
        assertThat(TlsFailures.ofClient(new SSLHandshakeException("Received fatal alert: certificate_unknown")))
                .isEqualTo("it refused this gateway's certificate (TLS alert certificate_unknown; is this gateway's certificate"
                        + " signed by a CA in the other gateway's ebb.gateway.peer-tls.ca, and does it name the address the"
                        + " other gateway dials?)");
        assertThat(TlsFailures.ofClient(new SSLHandshakeException("Received fatal alert: protocol_version")))
                .isEqualTo("it ended the handshake with TLS alert protocol_version");
    }

    @Test
    void aListenerOrAClientWithoutTlsIsToldApart() {
        assertThat(TlsFailures.ofPeer(handshake("Unsupported or unrecognized SSL message", null), "10.0.0.7"))
                .isEqualTo("TLS handshake failed: it does not speak TLS on its peer listener (set ebb.gateway.peer-tls there too)");
        assertThat(TlsFailures.ofClient(new NotSslRecordException("not an SSL/TLS record: 474554")))
                .startsWith("it does not speak TLS");
        assertThat(TlsFailures.ofClient(handshake("Empty client certificate chain", null))).isEqualTo("it presented no client certificate");
    }

    @Test
    void failuresOtherThanTlsAreLeftToTheirOwnMessage() {
        assertThat(TlsFailures.ofPeer(new ConnectException("Connection refused"), "10.0.0.7")).isNull();
        assertThat(TlsFailures.ofClient(new IllegalStateException("Connection was closed"))).isNull();
    }

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException failure = new SSLHandshakeException(message);
        if (cause != null) {
            failure.initCause(cause);
        }
        return failure;
    }
}
