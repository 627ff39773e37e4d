package org.auditlog.access;

import static java.util.Objects.requireNonNull;

import org.auditlog.event.Actor;

/**
 * Who a service acts for: the tenant that bounds everything it may see or change, the actor recorded
 * in the events it causes, and the reference stored beside what it creates ({@code key:<id>}).
 */
public record Requester(String tenant, Actor actor, String reference) {
    public Requester {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(reference, "reference is null");
    }
}
