package org.auditlog.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes a reliability result as JSON under target/reliability/, for bench/reliability to report. */
public final class Results {
    private Results() {
    }

    public static void write(String name, Map<String, Object> result) {
        try {
            Path folder = Files.createDirectories(Path.of("target/reliability"));
            Files.writeString(folder.resolve(name + ".json"),
                    TestApp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
