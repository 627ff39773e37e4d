package org.auditlog.query;

import com.fasterxml.jackson.annotation.JsonProperty;

public class QueryConfiguration {
    /** Record every query, statistics request and event read in the tenant's own log (audit_access). */
    @JsonProperty
    private boolean recordQueries = true;

    public boolean isRecordQueries() {
        return recordQueries;
    }
}
