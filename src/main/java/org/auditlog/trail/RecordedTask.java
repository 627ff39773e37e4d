package org.auditlog.trail;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.auditlog.event.Actor;
import org.auditlog.event.Outcome;
import org.auditlog.event.Resource;

/**
 * An admin-port task that changes something, each run recorded as an {@code admin} event
 * {@code task.<name>} (outcome success or failure, its parameters as metadata): in the log of the
 * tenant its {@code tenant} parameter names, or, for a task that acts across tenants, in the log of
 * the reserved tenant {@link #SYSTEM}, which no API key can be made for. Read-only tasks
 * ({@code verify-chain}) are not wrapped.
 */
public final class RecordedTask extends Task {
    /** The tenant whose log holds what operators did across tenants. */
    public static final String SYSTEM = "_system";
    /** Who runs a task: whoever reaches the admin port (and holds its token, when one is set). */
    public static final Actor OPERATOR = new Actor("admin-port", "operator", null, null);

    private final Task task;
    private final AuditTrail trail;
    private final Predicate<Map<String, List<String>>> readOnly;

    /** A task every run of which changes something. */
    public RecordedTask(Task task, AuditTrail trail) {
        this(task, trail, parameters -> false);
    }

    /** A task whose runs with the parameters {@code readOnly} accepts change nothing, and are not recorded (a dry run). */
    public RecordedTask(Task task, AuditTrail trail, Predicate<Map<String, List<String>>> readOnly) {
        super(task.getName());
        this.task = requireNonNull(task, "task is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.readOnly = requireNonNull(readOnly, "readOnly is null");
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        if (readOnly.test(parameters)) {
            task.execute(parameters, output);
            return;
        }
        String tenant = Optional.ofNullable(parameters.get("tenant")).filter(values -> values.size() == 1)
                .map(values -> values.get(0)).filter(value -> !value.isBlank()).orElse(SYSTEM);
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        ObjectNode given = details.putObject("parameters");
        parameters.forEach((name, values) -> values.forEach(given.putArray(name)::add));
        try {
            task.execute(parameters, output);
        } catch (Exception | Error e) {
            details.put("error", e.getClass().getSimpleName());
            trail.record(tenant, "admin", "task." + getName(), OPERATOR, new Resource("task", getName(), null), details,
                    Outcome.FAILURE);
            throw e;
        }
        trail.record(tenant, "admin", "task." + getName(), OPERATOR, new Resource("task", getName(), null), details,
                Outcome.SUCCESS);
    }
}
