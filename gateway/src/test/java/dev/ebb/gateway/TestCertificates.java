package dev.ebb.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificate authorities and certificates they sign, as PEM files, made with the JDK's own keytool (nothing to install,
 * no network): what cert-manager would put in a Secret as {@code tls.crt}, {@code tls.key} and {@code ca.crt}.
 */
final class TestCertificates {

    private static final String PASSWORD = "changeit";

    private final Path dir;

    TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A CA: its key pair in a keystore of its own, and its certificate as PEM ({@link Ca#pem()}). */
    record Ca(String name, Path keystore, Path pem) {
    }

    /** A certificate signed by a CA, with its key, both PEM. */
    record Issued(Path certificate, Path key) {
    }

    Ca authority(String name) throws Exception {
        Path keystore = dir.resolve(name + "-ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "bc:c", "-validity", "2", "-keystore", keystore.toString());
        Path pem = dir.resolve(name + "-ca.crt");
        Files.writeString(pem, pem("CERTIFICATE", load(keystore).getCertificate("ca").getEncoded()));
        return new Ca(name, keystore, pem);
    }

    /**
     * A certificate for {@code commonName} signed by {@code ca}, good for a server and a client, with the subject
     * alternative names {@code sans} in keytool's syntax ({@code ip:127.0.0.1}, {@code dns:gateway.example}).
     */
    Issued issue(Ca ca, String commonName, String... sans) throws Exception {
        Path keystore = dir.resolve(commonName + ".p12");
        Path request = dir.resolve(commonName + ".csr");
        Path certificate = dir.resolve(commonName + ".crt");
        keytool("-genkeypair", "-alias", "leaf", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + commonName,
                "-validity", "2", "-keystore", keystore.toString());
        keytool("-certreq", "-alias", "leaf", "-keystore", keystore.toString(), "-file", request.toString());
        List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", ca.keystore().toString(), "-infile",
                request.toString(), "-outfile", certificate.toString(), "-rfc", "-validity", "2",
                "-ext", "eku=serverAuth,clientAuth"));
        if (sans.length > 0) {
            sign.add("-ext");
            sign.add("san=" + String.join(",", sans));
        }
        keytool(sign.toArray(String[]::new));
        Key key = load(keystore).getKey("leaf", PASSWORD.toCharArray());
        Path keyFile = dir.resolve(commonName + ".key");
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new Issued(certificate, keyFile);
    }

    private static KeyStore load(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
        Path output = Files.createTempFile(dir, "keytool", ".log");
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool %s", command).isTrue();
        assertThat(keytool.exitValue()).as("keytool %s: %s", command, Files.readString(output)).isZero();
    }
}
