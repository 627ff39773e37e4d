package org.auditlog.outbound;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust in a private certificate authority a destination names ({@code caCertificate}: PEM): a TLS
 * context that trusts those certificates only, in place of the runtime's public ones. The host name is
 * still checked against the destination's certificate by whoever opens the connection.
 */
public final class PemTrust {
    /** The most a {@code caCertificate} may hold. */
    public static final int MAX_LENGTH = 65_536;

    private PemTrust() {
    }

    /**
     * The certificates in {@code pem}, at least one.
     *
     * @throws IllegalArgumentException not PEM certificates; the message says why, for a 422
     */
    public static List<X509Certificate> certificates(String pem) {
        if (pem == null || pem.isBlank() || pem.length() > MAX_LENGTH || !pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("must be one or more PEM certificates (-----BEGIN CERTIFICATE-----), "
                    + "at most " + MAX_LENGTH + " characters");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("holds no certificate");
            }
            return List.copyOf(certificates);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("is not a readable PEM certificate", e);
        }
    }

    /** A TLS context trusting exactly the certificates in {@code pem} as authorities. */
    public static SSLContext context(String pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate certificate : certificates(pem)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("could not build a TLS context from a checked certificate", e);
        }
    }
}
