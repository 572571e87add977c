package org.niovirt.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.IommuVendor;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.api.request.VirtioAttachment;
import org.niovirt.cli.dashboard.DashboardServer.DashboardSettings;
import org.niovirt.detect.HostDetector;
import org.niovirt.libvirt.Accelerator;
import org.niovirt.libvirt.BootSource;
import org.niovirt.libvirt.DomainState;
import org.niovirt.libvirt.GuestSpec;
import org.niovirt.libvirt.LaunchedGuest;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtHostOptions;
import org.niovirt.libvirt.NodeDeviceInventory;
import org.niovirt.libvirt.NodeDeviceInventoryOptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium: guests launched through the SDK on libvirt's test
 * driver (a node file with two SR-IOV PFs and their VFs) appear on the page holding their VFs, and
 * stopping one changes the page without a reload. Saves {@code target/dashboard.png}.
 *
 * <p>Needs the Debian packages {@code chromium} and {@code chromium-driver} (other paths:
 * {@code NIOVIRT_CHROMIUM}, {@code NIOVIRT_CHROMEDRIVER}). Without them the test is skipped, unless
 * {@code NIOVIRT_REQUIRE_BROWSER=1} (as in CI), where it fails.
 */
class DashboardBrowserIT {
  private static final Path CHROMIUM = Path.of(envOr("NIOVIRT_CHROMIUM", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(envOr("NIOVIRT_CHROMEDRIVER", "/usr/bin/chromedriver"));
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir
  static Path temp;

  private static LibvirtHost host;
  private static DashboardServer server;
  private static ChromeDriver browser;
  private static LibvirtDashboardSource source;

  @BeforeAll
  static void startEverything() throws IOException {
    requireBrowser();
    // The test driver reads the node file once at connect; a copy keeps the resource pristine.
    Path nodeFile = temp.resolve("sriov-host.xml");
    Files.copy(Path.of("src/test/resources/dashboard/sriov-host.xml"), nodeFile,
        StandardCopyOption.REPLACE_EXISTING);
    host = LibvirtHost.connect("test://" + nodeFile.toAbsolutePath(), LibvirtHostOptions.builder()
        .lockFile(temp.resolve("nio-virt.lock"))
        .stateDirectory(temp.resolve("state"))
        .kvmKnownToWork(false)
        .build());
    NodeDeviceInventoryOptions facts = NodeDeviceInventoryOptions.builder()
        .addManagementInterfaces("eth0")
        .iommuVendor(IommuVendor.INTEL_VTD)
        .interruptRemapping(Tristate.YES)
        .build();
    source = new LibvirtDashboardSource(host, () -> NodeDeviceInventory.read(host, facts),
        Duration.ofSeconds(30));
    server = DashboardServer.start(
        DashboardSettings.readOnly("127.0.0.1", 0).withPollInterval(Duration.ofMillis(300)),
        source, null);
    browser = startChromium();
  }

  @AfterAll
  static void stopEverything() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (host != null) {
      host.close();
    }
  }

  @Test
  void showsTheVfsTakenByTwoGuestsAndFollowsAStopWithoutReload() throws IOException {
    NetworkIoPlanner planner = NetworkIoPlanner.create();
    // Unpinned: the planner's own choice, with every verdict for the page to show.
    LaunchedGuest web = launch(planner, "web-1", NicRequest.builder().count(2).build());
    LaunchedGuest db = launch(planner, "db-1", NicRequest.builder().pinned(Technology.SRIOV).vlan(42).build());
    List<PciAddress> webVfs = web.plan().devices();
    List<PciAddress> dbVfs = db.plan().devices();
    assertThat(web.plan().assignments()).allMatch(nic -> nic.technology() == Technology.SRIOV);
    assertThat(webVfs).hasSize(2).doesNotContainAnyElementsOf(dbVfs);
    assertThat(dbVfs).hasSize(1);
    // Two more kinds of NIC, so the picture shows every technology.
    LaunchedGuest pass = launch(planner, "storage-1", NicRequest.builder().addExcluded(Technology.SRIOV).build());
    // A migratable virtio NIC (no failover pair: that would take a VF too).
    launch(planner, "build-1", NicRequest.builder().liveMigration(true).failover(false)
        .virtioAttachment(VirtioAttachment.network("default")).build());

    browser.get(server.address().toString());
    WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
    for (PciAddress vf : webVfs) {
      wait.until(d -> holderOf(vf).equals("web-1"));
    }
    wait.until(d -> holderOf(dbVfs.get(0)).equals("db-1"));
    // The page may have drawn a view read between two launches: wait for the last launch's device too.
    wait.until(d -> read("[data-port='" + pass.plan().devices().get(0) + "']", "data-holder").equals("storage-1"));
    wait.until(d -> !browser.findElements(By.cssSelector("tr[data-domain='build-1']")).isEmpty());
    for (PciAddress vf : webVfs) {
      assertThat(vf(vf, "text")).contains("web-1");
      assertThat(vf(vf, "data-status")).isEqualTo("in-use");
    }
    assertThat(vf(dbVfs.get(0), "text")).contains("db-1");
    assertThat(pass.plan().assignments().get(0).technology()).isEqualTo(Technology.VTD);
    PciAddress passedThrough = pass.plan().devices().get(0);
    assertThat(read("[data-port='" + passedThrough + "']", "data-holder")).isEqualTo("storage-1");
    // Every VF nobody holds is drawn as free, and the page names the chosen technology's reason.
    assertThat(browser.findElements(By.cssSelector("[data-vf][data-status='free']"))).hasSize(8 - 3);
    assertThat(read("tr[data-domain='db-1']", "text")).contains("sriov", dbVfs.get(0).toString(),
        db.plan().assignments().get(0).reason());
    assertThat(domainState("db-1")).isEqualTo("running");

    // A mark that a reload would wipe out.
    ((JavascriptExecutor) browser).executeScript("window.sameDocument = 'yes';");
    host.stop("db-1");
    assertThat(host.state("db-1")).isEqualTo(DomainState.SHUT_OFF);
    wait.until(d -> domainState("db-1").equals("shutoff"));
    // Still defined, so libvirt's ledger keeps its VF reserved: drawn as held by a stopped guest.
    wait.until(d -> vf(dbVfs.get(0), "data-status").equals("reserved"));
    assertThat(domainState("web-1")).isEqualTo("running");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument;"))
        .as("the page updated in place, without a reload").isEqualTo("yes");

    saveScreenshot(Path.of("target", "dashboard.png"));

    host.undefine("db-1");
    wait.until(d -> vf(dbVfs.get(0), "data-status").equals("free"));
    assertThat(browser.findElements(By.cssSelector("[data-domain='db-1']"))).isEmpty();
    assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument;")).isEqualTo("yes");
  }

  @Test
  void launchesAndStopsFromThePageOnlyWithTheToken() {
    String token = DashboardServer.newToken();
    try (DashboardServer withActions = DashboardServer.start(
        DashboardSettings.readOnly("127.0.0.1", 0).withActions(token).withPollInterval(Duration.ofMillis(300)),
        source, new LibvirtGuestActions(host, source, NetworkIoPlanner.create()))) {
      browser.get(withActions.address().toString());
      WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
      wait.until(d -> read("#actions-panel:not([hidden])", "id").equals("actions-panel"));

      fillLaunchForm("not-the-token", "page-1");
      wait.until(d -> read("#action-result", "text").contains("missing or wrong token"));
      assertThat(host.list().stream().map(g -> g.name())).doesNotContain("page-1");

      fillLaunchForm(token, "page-1");
      wait.until(d -> read("#action-result", "text").contains("launched page-1"));
      wait.until(d -> domainState("page-1").equals("running"));

      browser.findElement(By.cssSelector("tr[data-domain='page-1'] button.stop")).click();
      wait.until(d -> domainState("page-1").equals("shutoff"));
      assertThat(host.state("page-1")).isEqualTo(DomainState.SHUT_OFF);
    } finally {
      host.undefine("page-1");
    }
  }

  /**
   * A fleet's dashboard: the page offers both hosts in a selector, shows the one the address names,
   * and switching shows the other host's connection and VFs; launches on one host act there only.
   */
  @Test
  void aFleetsDashboardShowsOneHostAtATimeAndActsOnThatHost() {
    String token = DashboardServer.newToken();
    try (LibvirtHost other = LibvirtHost.connect("test:///default", LibvirtHostOptions.builder()
            .lockFile(temp.resolve("other.lock")).stateDirectory(temp.resolve("other-state"))
            .kvmKnownToWork(false).build())) {
      LibvirtDashboardSource otherSource = new LibvirtDashboardSource(other,
          () -> NodeDeviceInventory.read(other, NodeDeviceInventoryOptions.builder().build()), Duration.ofSeconds(30));
      try (DashboardServer fleet = DashboardServer.start(
          DashboardSettings.readOnly("127.0.0.1", 0).withActions(token).withPollInterval(Duration.ofMillis(300)),
          List.of(new DashboardServer.Host("rack-a", source, new LibvirtGuestActions(host, source, NetworkIoPlanner.create())),
              new DashboardServer.Host("rack-b", otherSource,
                  new LibvirtGuestActions(other, otherSource, NetworkIoPlanner.create()))))) {
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        browser.get(fleet.address() + "?host=rack-b");
        wait.until(d -> read("#host-select", "id").equals("host-select")
            && read("#connection", "text").contains("test:///default"));
        assertThat(((JavascriptExecutor) browser).executeScript(
            "return Array.from(document.querySelectorAll('#host-select option')).map(o => o.value).join(',')"))
            .isEqualTo("rack-a,rack-b");
        assertThat(selectedHost()).isEqualTo("rack-b");

        fillLaunchForm(token, "fleet-page-1");
        wait.until(d -> read("#action-result", "text").contains("launched fleet-page-1"));
        assertThat(other.list().stream().map(g -> g.name())).contains("fleet-page-1");
        assertThat(host.list().stream().map(g -> g.name())).doesNotContain("fleet-page-1");

        browser.get(fleet.address() + "?host=rack-a");
        wait.until(d -> read("#connection", "text").contains("sriov-host.xml"));
        assertThat(selectedHost()).isEqualTo("rack-a");
      }
    }
  }

  /** A host with VT-d switched off (capture d5): the page says what would unlock SR-IOV, and how. */
  @Test
  void showsWhatWouldUnlockAFasterPath() {
    HostDetector d5 = HostDetector.forSnapshot(Path.of("src/test/resources/captures/d5-vtd-off-rocker.tar.gz"));
    try (LibvirtHost other = LibvirtHost.connect("test:///default", LibvirtHostOptions.builder()
            .lockFile(temp.resolve("advice.lock")).stateDirectory(temp.resolve("advice-state"))
            .kvmKnownToWork(false).build());
        DashboardServer advised = DashboardServer.start(DashboardSettings.readOnly("127.0.0.1", 0),
            new LibvirtDashboardSource(other, d5::detect, Duration.ofSeconds(30)), null)) {
      browser.get(advised.address().toString());
      new WebDriverWait(browser, PATIENCE).until(d -> read("#advice", "text").contains("intel_iommu=on"));
      assertThat(((JavascriptExecutor) browser).executeScript("return document.getElementById('advice-panel').hidden"))
          .isEqualTo(false);
      assertThat(read("#advice-lead", "text")).contains("gets virtio");
      assertThat(read("#advice", "text")).contains("sriov instead of virtio", "[reboot]");
    }
  }

  private static Object selectedHost() {
    return ((JavascriptExecutor) browser).executeScript("return document.getElementById('host-select').value");
  }

  private static void fillLaunchForm(String token, String name) {
    WebElement tokenField = browser.findElement(By.id("token"));
    tokenField.clear();
    tokenField.sendKeys(token);
    WebElement nameField = browser.findElement(By.cssSelector("#launch-form input[name='name']"));
    nameField.clear();
    nameField.sendKeys(name);
    browser.findElement(By.cssSelector("#launch-form button[type='submit']")).click();
  }

  private LaunchedGuest launch(NetworkIoPlanner planner, String name, NicRequest nic) {
    GuestSpec spec = GuestSpec.builder().name(name).memoryMiB(1024).vcpus(2)
        .boot(BootSource.kernel().kernel(temp.resolve("vmlinuz")).build())
        .accelerator(Accelerator.QEMU)
        .build();
    GuestNetworkRequest request = GuestNetworkRequest.builder().guestName(name).vcpus(2).addNic(nic).build();
    LaunchedGuest launched = host.launch(spec, planner, NodeDeviceInventory.read(host,
        NodeDeviceInventoryOptions.builder().addManagementInterfaces("eth0")
            .iommuVendor(IommuVendor.INTEL_VTD).interruptRemapping(Tristate.YES).build()), request);
    // Launched past the dashboard: the page learns why from the plan recorded in the domain XML.
    return launched;
  }

  /**
   * Reads in one script call: the page redraws on every pushed view, so an element found in one
   * WebDriver call may be gone by the next.
   */
  private static String read(String selector, String attribute) {
    Object value = ((JavascriptExecutor) browser).executeScript(
        "const e = document.querySelector(arguments[0]);"
            + " return e === null ? '' : (arguments[1] === 'text' ? e.textContent : e.getAttribute(arguments[1]));",
        selector, attribute);
    return value == null ? "" : value.toString();
  }

  private static String vf(PciAddress vf, String attribute) {
    return read("[data-vf='" + vf + "']", attribute);
  }

  private static String holderOf(PciAddress vf) {
    return vf(vf, "data-holder");
  }

  private static String domainState(String name) {
    return read("g[data-domain='" + name + "']", "data-state");
  }

  private static void saveScreenshot(Path file) throws IOException {
    // The whole page: as tall as its content.
    Number height = (Number) ((JavascriptExecutor) browser)
        .executeScript("return document.documentElement.scrollHeight;");
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1500, height.intValue() + 40));
    Files.createDirectories(file.getParent());
    Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
  }

  private static String envOr(String variable, String fallback) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static void requireBrowser() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String why = "needs " + CHROMIUM + " and " + CHROMEDRIVER
          + " (apt-get install chromium chromium-driver)";
      if ("1".equals(System.getenv("NIOVIRT_REQUIRE_BROWSER"))) {
        fail("NIOVIRT_REQUIRE_BROWSER=1 but the browser test " + why);
      }
      Assumptions.abort("skipped: the browser test " + why);
    }
  }

  private static ChromeDriver startChromium() throws IOException {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--window-size=1500,1100",
        "--user-data-dir=" + Files.createTempDirectory(temp, "chromium-profile"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    return new ChromeDriver(service, options);
  }
}
