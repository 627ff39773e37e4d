package org.auditlog.outbound;

import static java.util.Objects.requireNonNull;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.auditlog.common.RequestIds;

/**
 * Sends e-mail through the configured SMTP server, once: plain text, optionally with files attached.
 * Retries are the caller's. The one place the service speaks SMTP (alert channels, scheduled reports).
 */
public final class Mailer {
    /** The longest address a recipient may have. */
    public static final int MAX_ADDRESS = 320;

    /** A file to attach, under the name the recipient sees. */
    public record Attachment(Path file, String fileName, String contentType) {
        public Attachment {
            requireNonNull(file, "file is null");
            requireNonNull(fileName, "fileName is null");
            requireNonNull(contentType, "contentType is null");
        }
    }

    private final SmtpConfiguration smtp;

    public Mailer(SmtpConfiguration smtp) {
        this.smtp = requireNonNull(smtp, "smtp is null");
    }

    /** Whether {@code text} is one e-mail address as a recipient may be given (strict RFC 822, with an {@code @}). */
    public static boolean isAddress(String text) {
        try {
            new InternetAddress(text, true);
            return text.contains("@") && text.length() <= MAX_ADDRESS;
        } catch (AddressException e) {
            return false;
        }
    }

    /** One message to every address in {@code to}. */
    public void send(List<String> to, String subject, String text, List<Attachment> attachments)
            throws MessagingException, IOException {
        MimeMessage message = new MimeMessage(session());
        message.setFrom(new InternetAddress(smtp.getFrom()));
        for (String recipient : to) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
        }
        message.setSubject(subject, "UTF-8");
        String requestId = RequestIds.current().orElse(null);
        if (requestId != null) { // the request or run that caused the message, as its webhooks carry it
            message.setHeader(RequestIds.HEADER, requestId);
        }
        if (attachments.isEmpty()) {
            message.setText(text, "UTF-8");
        } else {
            MimeMultipart parts = new MimeMultipart();
            MimeBodyPart body = new MimeBodyPart();
            body.setText(text, "UTF-8");
            parts.addBodyPart(body);
            for (Attachment attachment : attachments) {
                MimeBodyPart part = new MimeBodyPart();
                part.attachFile(attachment.file().toFile(), attachment.contentType(), "base64");
                part.setFileName(attachment.fileName());
                parts.addBodyPart(part);
            }
            message.setContent(parts);
        }
        Transport.send(message);
    }

    private Session session() {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", smtp.getHost());
        properties.put("mail.smtp.port", Integer.toString(smtp.getPort()));
        properties.put("mail.smtp.connectiontimeout", Long.toString(smtp.getTimeout().toMillis()));
        properties.put("mail.smtp.timeout", Long.toString(smtp.getTimeout().toMillis()));
        properties.put("mail.smtp.writetimeout", Long.toString(smtp.getTimeout().toMillis()));
        properties.put("mail.smtp.starttls.enable", Boolean.toString(smtp.isStartTls()));
        boolean authenticate = !smtp.getUsername().isEmpty();
        properties.put("mail.smtp.auth", Boolean.toString(authenticate));
        return Session.getInstance(properties, authenticate ? new jakarta.mail.Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(smtp.getUsername(), smtp.getPassword());
            }
        } : null);
    }
}
