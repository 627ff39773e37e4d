package org.auditlog.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's rsyslogd as a SIEM's syslog receiver, run in the foreground as this user: plain TCP on
 * {@link #tcpPort()} and TLS (gtls, a server certificate for 127.0.0.1 and localhost signed by a CA
 * of its own, {@link #caCertificate()}) on {@link #tlsPort()}, both with octet-counting framing.
 * Every message received is one line of {@link #lines()}, written RFC 5424 again
 * ({@code RSYSLOG_SyslogProtocol23Format}: PRI, header, structured data and message as sent).
 */
public final class RsyslogReceiver implements AutoCloseable {
    public static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");

    private final Path folder;
    private final Path received;
    private final int tcpPort;
    private final int tlsPort;
    private final Process process;

    public RsyslogReceiver() throws IOException, InterruptedException {
        if (!Files.isExecutable(RSYSLOGD) || !hasGtls()) {
            throw new AssertionError("the syslog stream tests need Debian's rsyslog and rsyslog-gnutls ("
                    + RSYSLOGD + "); .ci/run installs rsyslog and rsyslog-gnutls");
        }
        folder = Files.createTempDirectory("rsyslog");
        Files.createDirectory(folder.resolve("work"));
        received = folder.resolve("received.log");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=syslog test CA");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-keyout", "other-ca.key", "-out", "other-ca.pem", "-subj", "/CN=another CA");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "server.key",
                "-out", "server.csr", "-subj", "/CN=localhost");
        Files.writeString(folder.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                + "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-out", "server.pem", "-extfile", "server.ext");
        tcpPort = Ports.free();
        tlsPort = Ports.free();
        Files.writeString(folder.resolve("rsyslog.conf"), String.join("\n",
                "global(workDirectory=\"" + folder.resolve("work") + "\" maxMessageSize=\"64k\"",
                "       defaultNetstreamDriverCAFile=\"" + folder.resolve("ca.pem") + "\"",
                "       defaultNetstreamDriverCertFile=\"" + folder.resolve("server.pem") + "\"",
                "       defaultNetstreamDriverKeyFile=\"" + folder.resolve("server.key") + "\")",
                "module(load=\"imtcp\")",
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + tcpPort + "\")",
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + tlsPort + "\" streamDriver.name=\"gtls\""
                        + " streamDriver.mode=\"1\" streamDriver.authMode=\"anon\")",
                "action(type=\"omfile\" file=\"" + received + "\" template=\"RSYSLOG_SyslogProtocol23Format\")",
                ""));
        process = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", folder.resolve("rsyslog.conf").toString(),
                "-i", folder.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("rsyslogd.out").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!listens(tcpPort) || !listens(tlsPort)) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                close();
                throw new AssertionError("rsyslogd did not start listening: "
                        + Files.readString(folder.resolve("rsyslogd.out")));
            }
            Thread.sleep(50);
        }
    }

    /** Whether rsyslog's TLS driver (rsyslog-gnutls) is installed, for whichever architecture. */
    private static boolean hasGtls() throws IOException {
        try (var folders = Files.list(Path.of("/usr/lib"))) {
            return folders.anyMatch(folder -> Files.exists(folder.resolve("rsyslog/lmnsd_gtls.so")));
        }
    }

    private void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process openssl = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (openssl.waitFor() != 0) {
            throw new AssertionError("openssl " + String.join(" ", arguments) + " failed: " + output);
        }
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int tcpPort() {
        return tcpPort;
    }

    public int tlsPort() {
        return tlsPort;
    }

    /** The PEM of the CA that signed the TLS input's certificate. */
    public String caCertificate() {
        return read("ca.pem");
    }

    /** The PEM of a CA that signed nothing the receiver shows. */
    public String otherCaCertificate() {
        return read("other-ca.pem");
    }

    /** Every message received so far, one a line, in the order received. */
    public List<String> lines() {
        try {
            return Files.exists(received) ? Files.readAllLines(received, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String read(String file) {
        try {
            return Files.readString(folder.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Folders.delete(folder);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
