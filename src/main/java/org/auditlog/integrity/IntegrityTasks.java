package org.auditlog.integrity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Admin-port tasks: {@code verify-chain}, {@code checkpoint}, {@code rotate-signing-key}. */
final class IntegrityTasks {
    private IntegrityTasks() {
    }

    /**
     * {@code POST /tasks/verify-chain?tenant=acme}: verifies the whole chain, prints the result as JSON
     * and records it as the tenant's last verification (which the {@code integrity} check reports).
     */
    static Task verifyChain(ContinuousVerification verification, ObjectMapper mapper) {
        return new Task("verify-chain") {
            @Override
            public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
                String tenant = first(parameters, "tenant")
                        .orElseThrow(() -> new IllegalArgumentException("the tenant parameter is required"));
                var result = verification.verifyFully(tenant);
                output.println(mapper.writeValueAsString(result));
            }
        };
    }

    /** {@code POST /tasks/checkpoint}: signs due checkpoints now. */
    static Task checkpoint(CheckpointService checkpoints) {
        return new Task("checkpoint") {
            @Override
            public void execute(Map<String, List<String>> parameters, PrintWriter output) {
                output.println("signed " + checkpoints.checkpointAll() + " checkpoint(s)");
            }
        };
    }

    /** {@code POST /tasks/rotate-signing-key}: a new signing key; the old one stays published. */
    static Task rotateSigningKey(SigningKeys keys) {
        return new Task("rotate-signing-key") {
            @Override
            public void execute(Map<String, List<String>> parameters, PrintWriter output) {
                output.println("signing key is now " + keys.rotate());
            }
        };
    }

    private static Optional<String> first(Map<String, List<String>> parameters, String name) {
        return Optional.ofNullable(parameters.get(name)).flatMap(values -> values.stream().findFirst())
                .filter(value -> !value.isBlank());
    }
}
