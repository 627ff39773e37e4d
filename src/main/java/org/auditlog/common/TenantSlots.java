package org.auditlog.common;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cap on how many of one kind of work a tenant runs at once on this instance: a slot is taken
 * before the work starts and given back, once, when it ends.
 */
public final class TenantSlots {
    private final int perTenant;
    private final ConcurrentHashMap<String, Integer> taken = new ConcurrentHashMap<>();

    public TenantSlots(int perTenant) {
        if (perTenant < 1) {
            throw new IllegalArgumentException("perTenant must be at least 1");
        }
        this.perTenant = perTenant;
    }

    /** A slot of the tenant's, or empty when all of them are taken. */
    public Optional<Slot> tryTake(String tenant) {
        boolean[] got = {false};
        taken.compute(tenant, (t, count) -> {
            int now = count == null ? 0 : count;
            if (now >= perTenant) {
                return now;
            }
            got[0] = true;
            return now + 1;
        });
        return got[0] ? Optional.of(new Slot(tenant)) : Optional.empty();
    }

    public int perTenant() {
        return perTenant;
    }

    /** A taken slot; closing it gives it back (a second close does nothing). */
    public final class Slot implements AutoCloseable {
        private final String tenant;
        private boolean open = true;

        private Slot(String tenant) {
            this.tenant = tenant;
        }

        @Override
        public synchronized void close() {
            if (open) {
                open = false;
                taken.computeIfPresent(tenant, (t, count) -> count <= 1 ? null : count - 1);
            }
        }
    }
}
