package org.niovirt.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layers of the design card: the API knows no other module, providers know only the API
 * (like Micrometer's registries depend on micrometer-core alone), and nothing but ServiceLoader
 * ever reaches a provider.
 */
class LayeringTest {
  private static final String[] JDK_AND_LIBRARIES_OF_THE_API = {
      "java..", "javax.annotation..", "org.slf4j..", "org.immutables..", "org.niovirt.api.."};
  private static final String[] PROVIDER_PACKAGES = {
      "org.niovirt.virtio..", "org.niovirt.vtd..", "org.niovirt.sriov.."};

  private static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.niovirt");
  }

  @Test
  void everyModuleIsImported() {
    for (String pkg : new String[] {"org.niovirt.api", "org.niovirt.detect", "org.niovirt.virtio",
        "org.niovirt.vtd", "org.niovirt.sriov", "org.niovirt.libvirt", "org.niovirt.remote",
        "org.niovirt.export"}) {
      classes().that().resideInAPackage(pkg + "..").should().bePublic().orShould().notBePublic()
          .because("a rule over an empty package would pass vacuously")
          .allowEmptyShould(false)
          .check(classes);
    }
  }

  @Test
  void apiDependsOnNoOtherModule() {
    ArchRule rule = classes().that().resideInAPackage("org.niovirt.api..")
        .should().onlyDependOnClassesThat().resideInAnyPackage(JDK_AND_LIBRARIES_OF_THE_API)
        .because("nio-virt-api is the contract every module builds on");
    rule.check(classes);
  }

  @Test
  void providersDependOnTheApiOnly() {
    for (String provider : PROVIDER_PACKAGES) {
      String[] allowed = new String[JDK_AND_LIBRARIES_OF_THE_API.length + 1];
      System.arraycopy(JDK_AND_LIBRARIES_OF_THE_API, 0, allowed, 0, JDK_AND_LIBRARIES_OF_THE_API.length);
      allowed[allowed.length - 1] = provider;
      classes().that().resideInAPackage(provider)
          .should().onlyDependOnClassesThat().resideInAnyPackage(allowed)
          .because("a provider sees the host only through the API's PlanningContext")
          .check(classes);
    }
  }

  @Test
  void noModuleReachesIntoAProvider() {
    noClasses().that().resideOutsideOfPackages(PROVIDER_PACKAGES)
        .should().dependOnClassesThat().resideInAnyPackage(PROVIDER_PACKAGES)
        .because("providers are found by ServiceLoader or registered by the application, never named")
        .check(classes);
  }

  @Test
  void providersDoNotKnowEachOther() {
    for (String provider : PROVIDER_PACKAGES) {
      noClasses().that().resideInAPackage(provider)
          .should().dependOnClassesThat().resideInAnyPackage(
              java.util.Arrays.stream(PROVIDER_PACKAGES).filter(p -> !p.equals(provider))
                  .toArray(String[]::new))
          .check(classes);
    }
  }

  @Test
  void detectAndLibvirtNeverDependOnTheCli() {
    noClasses().that().resideInAnyPackage("org.niovirt.api..", "org.niovirt.detect..",
            "org.niovirt.libvirt..")
        .should().dependOnClassesThat().resideInAPackage("org.niovirt.cli..")
        .check(classes);
  }

  @Test
  void theModelKnowsNothingOfPlanningOrProviders() {
    noClasses().that().resideInAnyPackage("org.niovirt.api.model..", "org.niovirt.api.request..",
            "org.niovirt.api.plan..")
        .should().dependOnClassesThat().resideInAnyPackage("org.niovirt.api.spi..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("org.niovirt.api.NetworkIoPlanner")
        .check(classes);
  }

  @Test
  void thePlannerAndTheLedgerHoldNoTechnologyKnowledge() {
    noClasses().that().haveFullyQualifiedName("org.niovirt.api.NetworkIoPlanner")
        .or().haveFullyQualifiedName("org.niovirt.api.plan.DeviceUsage")
        .should().dependOnClassesThat().haveFullyQualifiedName("org.niovirt.api.plan.SriovNic")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("org.niovirt.api.plan.PassthroughNic")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("org.niovirt.api.plan.VirtioNic")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("org.niovirt.api.plan.SetNumVfs")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("org.niovirt.api.plan.LinkUp")
        .because("providers own their host actions; the planner only ranks and merges them (a"
            + " fourth technology needs no planner edit)")
        .check(classes);
  }

  @Test
  void noPackageCycles() {
    slices().matching("org.niovirt.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theRemoteModuleReadsHostsOnlyAndAloneTalksSsh() {
    noClasses().that().resideInAPackage("org.niovirt.remote..")
        .should().dependOnClassesThat().resideInAnyPackage("org.libvirt..", "org.niovirt.cli..")
        .because("a remote host is the detector and LibvirtHost's options over SSH: libvirt-java"
            + " stays behind nio-virt-libvirt, and no command line")
        .check(classes);
    noClasses().that().resideOutsideOfPackages("org.niovirt.remote..")
        .should().dependOnClassesThat().resideInAPackage("org.apache.sshd..")
        .because("SSH stays behind nio-virt-remote's RemoteInventory")
        .check(classes);
  }

  @Test
  void exportsDependOnTheCoreOnly() {
    classes().that().resideInAPackage("org.niovirt.export..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.niovirt.api..",
            "org.niovirt.export..", "com.fasterxml.jackson..")
        .because("an engine's configuration is written from the inventory and the safety rules alone")
        .check(classes);
  }

  @Test
  void onlyTheLibvirtModuleTalksToLibvirt() {
    noClasses().that().resideOutsideOfPackages("org.niovirt.libvirt..", "org.niovirt.cli..")
        .should().dependOnClassesThat().resideInAPackage("org.libvirt..")
        .because("only the libvirt module and host preparation touch the machine")
        .check(classes);
  }
}
