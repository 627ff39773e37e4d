package org.auditlog.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.auditlog.common.Timestamps;

/**
 * The audit log of a made-up company over the last 90 days, as event bodies a client would send:
 * logins and their failures (some bursting from one suspicious address), data reads and exports,
 * admin changes with their before and after, API key changes, and the work of a few services. The
 * same seed and count give the same events within one hour of the clock; their times count back from
 * {@code now}. Events come
 * in ascending {@code occurredAt}, mostly in office hours on weekdays.
 */
final class DemoEvents {
    static final Duration SPAN = Duration.ofDays(90);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String DOMAIN = "northwind.example";
    private static final String OFFICE_IP = "203.0.113.10";
    private static final String VPN_IP = "203.0.113.11";
    /** Where the bursts of failed logins come from. */
    static final String SUSPICIOUS_IP = "192.0.2.66";
    private static final String SCRIPT_AGENT = "python-requests/2.31.0";
    private static final List<String> HOME_IPS = List.of("198.51.100.23", "198.51.100.87", "198.51.100.142",
            "2001:db8:4f2a::17");
    private static final List<String> BROWSERS = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148");
    private static final List<String> FIRST_NAMES = List.of("Alice", "Bruno", "Chloe", "Dmitri", "Elena", "Farid",
            "Grace", "Hiro", "Ines", "Jonas", "Keiko", "Liam", "Maya", "Nikolai", "Olivia", "Pedro", "Quinn", "Rosa",
            "Sven", "Tara", "Umar", "Vera", "Wen", "Yusuf");
    private static final List<String> LAST_NAMES = List.of("Moreau", "Silva", "Dubois", "Volkov", "Rossi", "Haddad",
            "Okafor", "Tanaka", "Garcia", "Berg", "Sato", "Murphy", "Patel", "Ivanov", "Brown", "Costa", "Lee",
            "Martin", "Nilsson", "Singh", "Khan", "Novak", "Zhang", "Demir");
    private static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "ap-southeast-2");
    private static final List<String> PLANS = List.of("enterprise", "business", "trial");
    private static final List<String> DOCUMENTS = List.of("Q3 board deck.pdf", "Payroll 2024-05.xlsx",
            "Customer list EU.csv", "Vendor contract - Acme Corp.pdf", "Incident report 2024-117.docx",
            "Security policy v4.pdf", "Pricing model FY25.xlsx", "Employee handbook.pdf", "SOC 2 evidence.zip",
            "Merger due diligence.pdf", "Cap table.xlsx", "Roadmap H2.pptx", "Data processing agreement.pdf",
            "Penetration test results.pdf", "Salary bands.xlsx");
    private static final List<String> REPORTS = List.of("Monthly revenue", "Active users by region",
            "Access review", "Failed logins", "Churn forecast", "Invoices overdue");
    private static final List<String> ROLES = List.of("viewer", "editor", "billing", "admin");
    private static final List<String> LOGIN_FAILURES = List.of("invalid password", "invalid password",
            "mfa code expired", "account locked");
    private static final List<String> GUESSED_USERS = List.of("admin", "root", "test", "administrator", "support");

    /** A person of the company: admins change settings and roles, the others mostly read. */
    private record Person(String id, String name, String email, String homeIp, String browser, String region,
                          String plan, boolean admin) {
        ObjectNode actor() {
            return JSON.objectNode().put("id", id).put("type", "user").put("name", name).put("email", email);
        }

        ObjectNode asResource() {
            return resource("user", id, name);
        }
    }

    /** A service that acts on its own: reporting, provisioning, billing. */
    private record Service(String id, String name) {
        ObjectNode actor() {
            return JSON.objectNode().put("id", id).put("type", "service").put("name", name);
        }
    }

    private static final Service REPORTING = new Service("svc-reporting", "Nightly reporting");
    private static final Service DIRECTORY = new Service("svc-scim", "SCIM provisioning");
    private static final Service BILLING = new Service("svc-billing", "Billing service");
    /** Locks an account that a burst of failed logins went after. */
    private static final Service SIGN_IN = new Service("svc-sign-in", "Sign-in service");

    private final Random random;
    private final List<Person> people;
    private final long[] times;
    private int next;
    /**
     * The burst of failed logins under way: how many attempts are still to come, when it began, how
     * many attempts it made, and the user name it tries (a real person's, or a guess like admin).
     */
    private int burstLeft;
    private long burstStart;
    private int burstStep;
    private String burstTarget;
    private boolean burstAtPerson;

    DemoEvents(long seed, int count, Instant now) {
        this.random = new Random(seed);
        this.people = people(random);
        this.times = times(random, count, now);
    }

    boolean hasNext() {
        return next < times.length;
    }

    /** The next event's body, as {@code POST /api/v1/events} takes it. */
    ObjectNode next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long at = times[next++];
        if (burstLeft == 0 && random.nextInt(400) == 0) {
            burstLeft = 8 + random.nextInt(17);
            burstStart = at;
            burstStep = 0;
            burstAtPerson = random.nextBoolean();
            burstTarget = burstAtPerson ? pick(people).id() : pick(GUESSED_USERS);
        }
        if (burstLeft > 0) {
            return bruteForceAttempt(at);
        }
        Person person = pick(people);
        int roll = random.nextInt(1000);
        ObjectNode event;
        if (roll < 300) {
            event = login(person);
        } else if (roll < 340) {
            event = failedLogin(person);
        } else if (roll < 420) {
            event = authentication(person, "user.logout");
        } else if (roll < 730) {
            event = documentRead(person);
        } else if (roll < 790) {
            event = reportExport(person.actor(), person.region(), person.plan());
        } else if (roll < 860) {
            event = adminChange(person.admin() ? person : admin());
        } else if (roll < 875) {
            event = apiKeyChange(person.admin() ? person : admin());
        } else {
            event = serviceWork();
        }
        return stamped(event, at);
    }

    /** The event with its time and the id of the request that caused it. */
    private ObjectNode stamped(ObjectNode event, long at) {
        return event.put("occurredAt", Timestamps.format(Instant.ofEpochMilli(at)))
                .put("requestId", "req_" + Long.toHexString(random.nextLong() | Long.MIN_VALUE));
    }

    private ObjectNode login(Person person) {
        ObjectNode event = authentication(person, "user.login");
        event.putObject("metadata").put("plan", person.plan()).put("region", person.region())
                .put("mfa", random.nextInt(10) < 8 ? "totp" : "webauthn");
        return event;
    }

    private ObjectNode failedLogin(Person person) {
        return authentication(person, "user.login").put("outcome", "failure").put("reason", pick(LOGIN_FAILURES));
    }

    private ObjectNode authentication(Person person, String action) {
        ObjectNode event = event("authentication", action, person.actor());
        source(event, whereFrom(person), person.browser());
        return event;
    }

    /**
     * One of a burst of failed logins from the suspicious address, seconds apart; the burst ends
     * with the account locked when it was a real one.
     */
    private ObjectNode bruteForceAttempt(long at) {
        // seconds apart, yet never after the moment the event stands in for, so the order holds
        long when = Math.min(burstStart + 2_000L * burstStep++ + random.nextInt(1500), at);
        burstLeft--;
        ObjectNode event;
        if (burstLeft == 0 && burstAtPerson) {
            event = event("authentication", "user.locked", SIGN_IN.actor()).put("reason",
                    "too many failed logins from " + SUSPICIOUS_IP);
            event.set("resource", resource("user", burstTarget, null));
        } else {
            ObjectNode actor = JSON.objectNode().put("id", burstTarget).put("type", "user");
            event = event("authentication", "user.login", actor).put("outcome", "failure")
                    .put("reason", burstAtPerson ? "invalid password" : "unknown user");
            source(event, SUSPICIOUS_IP, SCRIPT_AGENT);
        }
        return stamped(event, when);
    }

    private ObjectNode documentRead(Person person) {
        int number = random.nextInt(DOCUMENTS.size());
        ObjectNode event = event("data_access", "document.read", person.actor());
        event.set("resource", resource("document", "doc_" + (1000 + number * 37), DOCUMENTS.get(number)));
        source(event, whereFrom(person), person.browser());
        if (random.nextInt(40) == 0) {
            event.put("outcome", "denied").put("reason", "not a member of the group that owns the document");
        }
        event.putObject("metadata").put("plan", person.plan()).put("region", person.region());
        return event;
    }

    private ObjectNode reportExport(ObjectNode actor, String region, String plan) {
        int number = random.nextInt(REPORTS.size());
        ObjectNode event = event("data_access", "report.exported", actor);
        event.set("resource", resource("report", "rep_" + (200 + number), REPORTS.get(number)));
        event.putObject("metadata").put("plan", plan).put("region", region)
                .put("format", random.nextBoolean() ? "csv" : "pdf").put("rows", 50 + random.nextInt(20_000));
        if (random.nextInt(80) == 0) {
            event.put("outcome", "error").put("reason", "export timed out");
        }
        return event;
    }

    private ObjectNode adminChange(Person admin) {
        Person target = pick(people);
        ObjectNode event;
        ObjectNode before = JSON.objectNode();
        ObjectNode after = JSON.objectNode();
        switch (random.nextInt(5)) {
            case 0, 1 -> {
                boolean granted = random.nextInt(3) > 0;
                List<String> fewer = List.of("viewer");
                List<String> more = List.of("viewer", pick(ROLES.subList(1, ROLES.size())));
                strings(before.putArray("roles"), granted ? fewer : more);
                strings(after.putArray("roles"), granted ? more : fewer);
                event = event("admin", granted ? "role.granted" : "role.revoked", admin.actor());
                event.set("resource", target.asResource());
            }
            case 2 -> {
                event = event("admin", "settings.updated", admin.actor());
                event.set("resource", resource("settings", "workspace", "Workspace settings"));
                setting(before, after);
            }
            case 3 -> {
                event = event("admin", "user.deactivated", admin.actor()).put("reason", "left the company");
                event.set("resource", target.asResource());
                before.put("status", "active");
                after.put("status", "deactivated");
            }
            default -> {
                event = event("admin", "user.updated", admin.actor());
                event.set("resource", target.asResource());
                before.put("region", target.region());
                after.put("region", pick(REGIONS));
            }
        }
        ObjectNode changes = event.putObject("changes");
        changes.set("before", before);
        changes.set("after", after);
        source(event, whereFrom(admin), admin.browser());
        return event;
    }

    /** One of the workspace's settings, changed from one value to another. */
    private void setting(ObjectNode before, ObjectNode after) {
        switch (random.nextInt(4)) {
            case 0 -> {
                before.put("sessionTimeoutMinutes", 30);
                after.put("sessionTimeoutMinutes", 60);
            }
            case 1 -> {
                before.put("mfaRequired", false);
                after.put("mfaRequired", true);
            }
            case 2 -> {
                before.put("passwordMinLength", 10);
                after.put("passwordMinLength", 14);
            }
            default -> {
                before.putArray("ipAllowlist");
                after.putArray("ipAllowlist").add("203.0.113.0/24");
            }
        }
    }

    private ObjectNode apiKeyChange(Person admin) {
        boolean created = random.nextInt(3) > 0;
        String name = pick(List.of("CI deploy", "Data warehouse sync", "SIEM forwarder", "Mobile backend"));
        ObjectNode event = event("admin", created ? "api_key.created" : "api_key.revoked", admin.actor());
        event.set("resource", resource("api_key", "key_" + Integer.toHexString(0x1000 + random.nextInt(0xefff)), name));
        if (created) {
            event.putObject("metadata").putArray("roles").add(random.nextBoolean() ? "ingest" : "auditor");
        }
        source(event, whereFrom(admin), admin.browser());
        return event;
    }

    /** Mostly scheduled reports and invoices; now and then a person provisioned from the directory. */
    private ObjectNode serviceWork() {
        int roll = random.nextInt(20);
        if (roll < 10) {
            return reportExport(REPORTING.actor(), pick(REGIONS), "enterprise");
        }
        if (roll < 12) {
            Person person = pick(people);
            ObjectNode event = event("admin", "user.provisioned", DIRECTORY.actor());
            event.set("resource", person.asResource());
            ObjectNode changes = event.putObject("changes");
            changes.putObject("before");
            changes.putObject("after").put("email", person.email()).put("status", "active");
            return event;
        }
        ObjectNode event = event("billing", "invoice.issued", BILLING.actor());
        event.set("resource", resource("invoice", "inv_" + (10_000 + random.nextInt(90_000)), null));
        event.putObject("metadata").put("plan", pick(PLANS)).put("amountCents", 4_900 + random.nextInt(500_000))
                .put("currency", random.nextBoolean() ? "EUR" : "USD");
        return event;
    }

    /** The office most of the time, else the VPN or the person's home. */
    private String whereFrom(Person person) {
        int roll = random.nextInt(10);
        return roll < 6 ? OFFICE_IP : roll < 8 ? VPN_IP : person.homeIp();
    }

    private Person admin() {
        return people.get(random.nextInt(3));
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static ObjectNode event(String category, String action, ObjectNode actor) {
        ObjectNode event = JSON.objectNode().put("category", category).put("action", action);
        event.set("actor", actor);
        return event;
    }

    private static ObjectNode resource(String type, String id, String name) {
        ObjectNode resource = JSON.objectNode().put("type", type).put("id", id);
        return name == null ? resource : resource.put("name", name);
    }

    private static void source(ObjectNode event, String ip, String userAgent) {
        event.putObject("source").put("ip", ip).put("userAgent", userAgent);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /** 24 people, the first three of them admins. */
    private static List<Person> people(Random random) {
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < FIRST_NAMES.size(); i++) {
            String first = FIRST_NAMES.get(i);
            String last = LAST_NAMES.get(i);
            String id = (first + "." + last).toLowerCase();
            people.add(new Person(id, first + " " + last, id + "@" + DOMAIN,
                    HOME_IPS.get(random.nextInt(HOME_IPS.size())), BROWSERS.get(random.nextInt(BROWSERS.size())),
                    REGIONS.get(random.nextInt(REGIONS.size())), PLANS.get(random.nextInt(PLANS.size())), i < 3));
        }
        return List.copyOf(people);
    }

    /** {@code count} moments of the last 90 days in ascending order, mostly in office hours on weekdays. */
    private static long[] times(Random random, int count, Instant now) {
        // drawn against the hour now is in, then moved up to now: which moments fall in office hours,
        // and so what the random choices after them are, does not depend on the milliseconds of now
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        long end = hour.toEpochMilli();
        long start = hour.minus(SPAN).toEpochMilli();
        long shift = now.toEpochMilli() - end;
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = officeLikeMoment(random, start, end) + shift;
        }
        Arrays.sort(times);
        return times;
    }

    private static long officeLikeMoment(Random random, long start, long end) {
        while (true) {
            long at = start + (long) (random.nextDouble() * (end - start));
            ZonedDateTime time = Instant.ofEpochMilli(at).atZone(ZoneOffset.UTC);
            boolean weekend = time.getDayOfWeek().compareTo(DayOfWeek.SATURDAY) >= 0;
            boolean officeHours = time.getHour() >= 7 && time.getHour() < 19;
            double kept = (weekend ? 0.2 : 1.0) * (officeHours ? 1.0 : 0.15);
            if (random.nextDouble() < kept) {
                return at;
            }
        }
    }
}
