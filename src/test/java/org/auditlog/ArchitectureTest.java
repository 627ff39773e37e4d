package org.auditlog;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency direction of docs/architecture.md, held by the build: packages form no cycle, each
 * layer uses only the layers below it, and HTTP stays in the web classes at the edge of each feature.
 */
@AnalyzeClasses(packages = "org.auditlog", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] HTTP = {"jakarta.ws.rs..", "jakarta.servlet..", "org.glassfish.jersey..",
            "io.dropwizard.auth..", "io.dropwizard.jersey.."};

    /**
     * The classes that may speak HTTP: resources, request filters and their registration, the error
     * mappers, and the application and commands that assemble everything.
     */
    private static final DescribedPredicate<JavaClass> WEB = new DescribedPredicate<>("web classes") {
        @Override
        public boolean test(JavaClass type) {
            JavaClass outer = type;
            while (outer.getEnclosingClass().isPresent()) {
                outer = outer.getEnclosingClass().get();
            }
            String name = outer.getSimpleName();
            return name.endsWith("Resource") || name.endsWith("Filter") || name.endsWith("Feature")
                    || name.equals("ErrorMappers") || name.equals("JsonErrorHandler") || name.equals("Authentication")
                    || name.equals("RoleAuthorizer") || name.equals("ApiKeyAuthenticator")
                    || outer.getPackageName().equals("org.auditlog") || outer.getPackageName().equals("org.auditlog.cli");
        }
    };

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("org.auditlog.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule layersUseOnlyTheLayersBelow = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("common").definedBy("org.auditlog.common..")
            .layer("platform").definedBy("org.auditlog.database..", "org.auditlog.scheduling..", "org.auditlog.outbound..",
                    "org.auditlog.web..")
            .layer("event").definedBy("org.auditlog.event..", "org.auditlog.access..")
            .layer("trail").definedBy("org.auditlog.trail..")
            .layer("integrity").definedBy("org.auditlog.integrity..")
            .layer("ingest").definedBy("org.auditlog.ingest..")
            .layer("features").definedBy("org.auditlog.query..", "org.auditlog.export..", "org.auditlog.retention..",
                    "org.auditlog.alerting..", "org.auditlog.auth..", "org.auditlog.admin..", "org.auditlog.report..",
                    "org.auditlog.stream..")
            .layer("console").definedBy("org.auditlog.console..")
            .layer("openapi").definedBy("org.auditlog.openapi..")
            .layer("application").definedBy("org.auditlog", "org.auditlog.cli..")
            .whereLayer("application").mayNotBeAccessedByAnyLayer()
            .whereLayer("console").mayOnlyBeAccessedByLayers("application")
            .whereLayer("openapi").mayOnlyBeAccessedByLayers("application")
            .whereLayer("features").mayOnlyBeAccessedByLayers("console", "application")
            .whereLayer("ingest").mayOnlyBeAccessedByLayers("features", "console", "application")
            .whereLayer("integrity").mayOnlyBeAccessedByLayers("ingest", "features", "console", "application")
            .whereLayer("trail").mayOnlyBeAccessedByLayers("integrity", "ingest", "features", "console", "application")
            .whereLayer("event").mayOnlyBeAccessedByLayers("trail", "integrity", "ingest", "features", "console",
                    "application")
            .whereLayer("platform").mayOnlyBeAccessedByLayers("trail", "integrity", "ingest", "features", "console",
                    "openapi", "application");

    @ArchTest
    static final ArchRule httpStaysInTheWebClasses = noClasses().that(not(WEB))
            .should().dependOnClassesThat(resideInAnyPackage(HTTP))
            .because("services, DAOs and jobs speak the domain; resources and filters translate HTTP");

    @ArchTest
    static final ArchRule resourcesAreUsedOnlyWhereTheyAreRegistered = noClasses().that(not(WEB))
            .should().dependOnClassesThat().areAnnotatedWith(jakarta.ws.rs.Path.class)
            .because("a resource is the top of its feature: nothing below it calls into it");

    @ArchTest
    static final ArchRule servicesActForARequesterNotTheCaller = noClasses().that(not(WEB))
            .and().resideOutsideOfPackages("org.auditlog.auth..", "org.auditlog.access..", "org.auditlog.console..")
            .should().dependOnClassesThat().areAssignableTo(org.auditlog.access.Caller.class)
            .because("the key a request came with stays at the edge (the API's resources, the console, whose "
                    + "session is a key's sign-in); services are told whom they act for");
}
