package org.auditlog.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.auditlog.event.EventDraft;
import org.junit.jupiter.api.Test;

/**
 * ingest.maxFutureSkew may not pass the bound the database holds every event to
 * ({@link EventDraft#MOST_AHEAD_OF_RECEIPT}): the service does not start with more.
 */
class IngestConfigurationTest {
    @Test
    void aFutureSkewPast24HoursIsRefusedNamingTheKey() throws Exception {
        assertThat(ingest("maxFutureSkew: 24 hours").getMaxFutureSkew()).isEqualTo(EventDraft.MOST_AHEAD_OF_RECEIPT);
        assertThat(ingest("maxFutureSkew: 5 minutes").getMaxFutureSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> ingest("maxFutureSkew: 25 hours"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("maxFutureSkew");
    }

    private static IngestConfiguration ingest(String yaml) throws Exception {
        // not "dw": the test JVM holds dw.* overrides of the whole service's configuration
        var factory = new YamlConfigurationFactory<>(IngestConfiguration.class, Validators.newValidator(),
                Jackson.newObjectMapper(), "ingest-config-test");
        return factory.build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "ingest.yml");
    }
}
