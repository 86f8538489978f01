package io.cdcenricher.enricher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.config.InvalidConfigException;
import io.cdcenricher.enricher.internals.TopologyFactory;

/**
 * Which way the packages of the enricher may depend on each other (run by {@code mvn verify} with the unit tests).
 * {@code config} (the validated configuration) and {@code http} (the endpoints) are leaves; {@code internals}
 * (the topology's processors) builds on them and on the public output contract; the application's lifecycle and
 * command line sit on top, and only {@link EnrichmentTopology} builds the topology. Class files do not show the
 * use of a compile-time constant: {@link LayeringSourceTest} checks the sources for those.
 */
@AnalyzeClasses(packages = "io.cdcenricher.enricher", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    /** The classes that run the process: nothing below them may reach up into them. */
    private static final Class<?>[] LIFECYCLE = {EnricherApplication.class, EnricherCli.class, ApplicationReset.class,
        BrokerChecks.class, LocalStateGuard.class, HttpOptions.class, ExitCode.class};

    @ArchTest
    static final ArchRule configIsALeaf = noClasses().that().resideInAPackage("..enricher.config..")
            .should().dependOnClassesThat().resideInAnyPackage("..enricher.internals..", "..enricher.http..",
                    "..enricher.avro..")
            .orShould().dependOnClassesThat().belongToAnyOf(LIFECYCLE)
            .because("the configuration is read by every layer and must not pull any of them in");

    @ArchTest
    static final ArchRule internalsUseTheValidatedConfigurationOnly = noClasses().that()
            .resideInAPackage("..enricher.internals..")
            .should().dependOnClassesThat().belongToAnyOf(EnricherConfigLoader.class, InvalidConfigException.class)
            .because("the topology works on a validated EnricherConfig; names it writes into events belong to "
                    + "EnrichedEventContract, not to the YAML loader");

    @ArchTest
    static final ArchRule internalsDoNotReachIntoTheApplication = noClasses().that()
            .resideInAPackage("..enricher.internals..")
            .should().dependOnClassesThat().belongToAnyOf(LIFECYCLE)
            .orShould().dependOnClassesThat().belongToAnyOf(EnrichmentTopology.class, TopologyOptions.class)
            .because("the application and the public topology entry point are built on internals, not the other way");

    @ArchTest
    static final ArchRule httpDoesNotSeeInternals = noClasses().that().resideInAPackage("..enricher.http..")
            .should().dependOnClassesThat().resideInAPackage("..enricher.internals..")
            .orShould().dependOnClassesThat().belongToAnyOf(LIFECYCLE)
            .because("the endpoints answer through their own interfaces (TableQueries, TableAnswer), which the "
                    + "application wires to the topology");

    @ArchTest
    static final ArchRule avroDoesNotSeeInternals = noClasses().that().resideInAPackage("..enricher.avro..")
            .should().dependOnClassesThat().resideInAnyPackage("..enricher.internals..", "..enricher.http..")
            .orShould().dependOnClassesThat().belongToAnyOf(LIFECYCLE);

    @ArchTest
    static final ArchRule rocksdbIsALeaf = noClasses().that().resideInAPackage("..enricher.rocksdb..")
            .should().dependOnClassesThat().resideInAnyPackage("..enricher.config..", "..enricher.internals..",
                    "..enricher.http..", "..enricher.avro..")
            .orShould().dependOnClassesThat().belongToAnyOf(LIFECYCLE)
            .because("Kafka Streams instantiates the config setter itself: it reads its bound from the streams "
                    + "properties, and the configuration names it");

    @ArchTest
    static final ArchRule onlyEnrichmentTopologyBuildsTheTopology = noClasses().that()
            .resideOutsideOfPackage("..enricher.internals..").and().doNotBelongToAnyOf(EnrichmentTopology.class)
            .should().dependOnClassesThat().belongToAnyOf(TopologyFactory.class)
            .because("EnrichmentTopology.build(config, TopologyOptions) is the one public entry point");

    @ArchTest
    static final ArchRule subPackagesAreFreeOfCycles = slices().matching("io.cdcenricher.enricher.(*)..")
            .should().beFreeOfCycles();
}
