package org.auditlog.scheduling;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Job data as Quartz stores it in {@code qrtz_job_details.job_data} with {@code org.quartz.jobStore.useProperties=true}. */
final class StoredJobData {
    private StoredJobData() {
    }

    static byte[] of(Map<String, String> data) {
        Properties properties = new Properties();
        properties.putAll(data);
        var bytes = new ByteArrayOutputStream();
        try {
            properties.store(bytes, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Map<String, String> read(byte[] stored) {
        Properties properties = new Properties();
        try {
            properties.load(new ByteArrayInputStream(stored));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> data = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> data.put(key, properties.getProperty(key)));
        return data;
    }
}
