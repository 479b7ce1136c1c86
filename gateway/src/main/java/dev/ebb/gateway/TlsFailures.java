package dev.ebb.gateway;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Why a TLS handshake on the hop between clusters failed, in words an operator can act on, from the JDK's exceptions
 * (their classes where they say enough, their messages otherwise). Pure.
 */
final class TlsFailures {

    private TlsFailures() {
    }

    /**
     * What went wrong with the TLS connection to another cluster's gateway at {@code host}, or null when
     * {@code failure} is no TLS failure (a refused or timed-out connection says enough by itself).
     */
    static String ofPeer(Throwable failure, String host) {
        String reason = certificateProblem(failure, "its certificate");
        if (reason != null) {
            return "TLS handshake failed: " + reason;
        }
        String message = messages(failure);
        if (message.contains("no subject alternative") || message.contains("no name matching")) {
            return "TLS handshake failed: name mismatch, its certificate does not name " + host + " (each gateway's certificate"
                    + " must carry the address other clusters reach it by as a subject alternative name)";
        }
        if (message.contains("received fatal alert: ")) {
            return "TLS handshake failed: it refused this gateway's client certificate (" + alert(message) + "; is it signed by"
                    + " a CA in that gateway's ebb.gateway.peer-tls.ca?)";
        }
        if (notTls(failure, message)) {
            return "TLS handshake failed: it does not speak TLS on its peer listener (set ebb.gateway.peer-tls there too)";
        }
        SSLException tls = find(failure, SSLException.class);
        return tls == null ? null : "TLS handshake failed: " + describe(tls);
    }

    /**
     * Why the peer listener refused a connection, or null when {@code failure} is no TLS failure (a client that hung
     * up, say).
     */
    static String ofClient(Throwable failure) {
        String reason = certificateProblem(failure, "its client certificate");
        if (reason != null) {
            return reason;
        }
        String message = messages(failure);
        if (message.contains("empty client certificate chain") || message.contains("certificate_required")) {
            return "it presented no client certificate";
        }
        if (notTls(failure, message)) {
            return "it does not speak TLS (a gateway without ebb.gateway.peer-tls?)";
        }
        if (message.contains("received fatal alert: ")) {
            String alert = alert(message);
            return alert.contains("certificate") || alert.endsWith("unknown_ca")
                    ? "it refused this gateway's certificate (" + alert + "; is this gateway's certificate signed by a CA in"
                            + " the other gateway's ebb.gateway.peer-tls.ca, and does it name the address the other gateway dials?)"
                    : "it ended the handshake with " + alert;
        }
        SSLException tls = find(failure, SSLException.class);
        return tls == null ? null : "TLS handshake failed: " + describe(tls);
    }

    /** A certificate the CA does not vouch for, or one out of its validity, described as {@code whose}; else null. */
    private static String certificateProblem(Throwable failure, String whose) {
        if (find(failure, CertificateExpiredException.class) != null) {
            return whose + " has expired";
        }
        if (find(failure, CertificateNotYetValidException.class) != null) {
            return whose + " is not valid yet";
        }
        String message = messages(failure);
        if (find(failure, CertPathBuilderException.class) != null || find(failure, CertPathValidatorException.class) != null
                || message.contains("unable to find valid certification path") || message.contains("pkix path")) {
            return whose + " is not signed by the peer CA (ebb.gateway.peer-tls.ca)";
        }
        return null;
    }

    private static boolean notTls(Throwable failure, String message) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getSimpleName().equals("NotSslRecordException")) {
                return true;
            }
        }
        return message.contains("unrecognized ssl message") || message.contains("not an ssl/tls record");
    }

    /** "TLS alert bad_certificate", from the messages' "received fatal alert: bad_certificate". */
    private static String alert(String messages) {
        String prefix = "received fatal alert: ";
        int start = messages.indexOf(prefix) + prefix.length();
        int end = start;
        while (end < messages.length() && (Character.isLetterOrDigit(messages.charAt(end)) || messages.charAt(end) == '_')) {
            end++;
        }
        return "TLS alert " + messages.substring(start, end);
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    /** Every message along the chain of causes, lower case, separated by " | ". */
    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = failure; cause != null && all.length() < 4096; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                all.append(cause.getMessage().toLowerCase(Locale.ROOT)).append(" | ");
            }
        }
        return all.toString();
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> kind) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 16; cause = cause.getCause(), depth++) {
            if (kind.isInstance(cause)) {
                return kind.cast(cause);
            }
        }
        return null;
    }
}
