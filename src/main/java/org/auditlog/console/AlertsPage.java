package org.auditlog.console;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.auditlog.alerting.Alert;
import org.auditlog.alerting.AlertingService;
import org.auditlog.alerting.Channel;
import org.auditlog.alerting.RuleView;

/** Alerts: the tenant's rules, its channels (never a webhook's secret) and its recent alerts. */
public final class AlertsPage extends AdminPage {
    public record RuleRow(String id, String name, String filter, String window, String threshold, String groupBy,
                          String severity, int channels, boolean enabled) {
    }

    /** A channel as the page shows it: where it sends, and whether its deliveries are signed, not with what. */
    public record ChannelRow(String id, String type, String destination, boolean signed, String createdAt) {
    }

    private final List<RuleRow> rules;
    private final List<ChannelRow> channels;
    private final List<Alert> alerts;

    private AlertsPage(Session session, String error, Map<String, List<String>> form, List<RuleRow> rules,
                       List<ChannelRow> channels, List<Alert> alerts) {
        super("alerts.ftlh", session, "Alerts", "alerts", error, form);
        this.rules = rules;
        this.channels = channels;
        this.alerts = alerts;
    }

    static AlertsPage of(Session session, AlertingService alerting, String error, Map<String, List<String>> form) {
        var requester = session.caller().requester();
        return new AlertsPage(session, error, form,
                alerting.rules(requester).rules().stream().map(AlertsPage::row).toList(),
                alerting.channels(requester).channels().stream().map(AlertsPage::row).toList(),
                alerting.alerts(requester, Optional.empty()).alerts());
    }

    private static RuleRow row(RuleView view) {
        var rule = view.rule();
        String threshold = rule.thresholdType() + " > " + rule.greaterThan()
                + (rule.minEvents() > 0 ? " (at least " + rule.minEvents() + " events)" : "");
        return new RuleRow(view.id().toString(), rule.name(), rule.filter().describe().toString(),
                rule.window().toString(), threshold, rule.groupBy().orElse("—"), rule.severity(), rule.channels().size(),
                rule.enabled());
    }

    private static ChannelRow row(Channel channel) {
        String destination = channel.type().equals("webhook") ? channel.url() : String.join(", ", channel.to());
        return new ChannelRow(channel.id().toString(), channel.type(), destination,
                Boolean.TRUE.equals(channel.hasSecret()), channel.createdAt());
    }

    public List<RuleRow> getRules() {
        return rules;
    }

    public List<ChannelRow> getChannels() {
        return channels;
    }

    public List<Alert> getAlerts() {
        return alerts;
    }

    public List<String> getRuleFilters() {
        return AdminForms.RULE_FILTERS;
    }
}
