package dev.pmj.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Tools;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * The service files of the three systems, beside golden copies in testdata/service; the Linux unit
 * checked by systemd itself, the macOS and Windows ones against their documented formats.
 */
class ServiceFilesTest {
  private static final ServiceFiles.Service LINUX =
      new ServiceFiles.Service(
          "pmj-shop",
          "shop",
          "/home/dev/my shop/pmj.yaml",
          "/home/dev/my shop",
          "/opt/pmj/pmj",
          "/usr/local/bin:/usr/bin:/bin");
  private static final ServiceFiles.Service WINDOWS =
      new ServiceFiles.Service(
          "pmj-shop",
          "shop",
          "C:\\Users\\dev\\my shop\\pmj.yaml",
          "C:\\Users\\dev\\my shop",
          "C:\\Tools\\pmj\\pmj.cmd",
          "C:\\Windows\\system32");

  @TempDir Path dir;

  private static String golden(String name) throws Exception {
    return Files.readString(Fixtures.root().resolve("testdata/service").resolve(name));
  }

  @Test
  void eachSystemGetsItsGoldenFile() throws Exception {
    assertEquals(golden("user-252.service"), ServiceFiles.systemd(LINUX, null, 252));
    assertEquals(golden("user-256.service"), ServiceFiles.systemd(LINUX, null, 256));
    assertEquals(golden("system-252.service"), ServiceFiles.systemd(LINUX, "dev", 252));
    assertEquals(golden("dev.pmj.shop.plist"), ServiceFiles.launchd(LINUX));
    assertEquals(golden("pmj-shop.task.xml"), ServiceFiles.windowsTask(WINDOWS));
    assertEquals("pmj-my-shop_2", ServiceFiles.name("My Shop_2"));
    assertEquals("pmj-project", ServiceFiles.name("!!"));
  }

  @Test
  void systemdItselfAcceptsTheUnitsOfItsVersion() throws Exception {
    String analyze = Tools.require("systemd-analyze");
    Path launcher = dir.resolve("pmj");
    Files.writeString(launcher, "#!/bin/sh\n");
    launcher.toFile().setExecutable(true);
    Path project = Files.createDirectories(dir.resolve("my shop"));
    ServiceFiles.Service s =
        ServiceFiles.Service.of("shop", project.resolve("pmj.yaml"), launcher, "/usr/bin:/bin");
    int version = systemdVersion();
    for (String user : new String[] {null, "root"}) {
      Path unit = dir.resolve(s.name() + ".service");
      Files.writeString(unit, ServiceFiles.systemd(s, user, version));
      Process p =
          new ProcessBuilder(analyze, "verify", unit.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);
      assertEquals(
          List.of(),
          out.lines().filter(l -> l.contains(unit.getFileName().toString())).toList(),
          "systemd-analyze has remarks on the unit");
    }
  }

  private static int systemdVersion() throws Exception {
    Process p = new ProcessBuilder("systemd-analyze", "--version").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("systemd ([0-9]+)").matcher(out);
    return m.find() ? Integer.parseInt(m.group(1)) : 252;
  }

  @Test
  void theLaunchdAgentIsAPropertyListWithTheDocumentedKeys() throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    // The DTD is Apple's, online: not loaded (the structure is checked below instead).
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc =
        f.newDocumentBuilder()
            .parse(new InputSource(new StringReader(ServiceFiles.launchd(LINUX))));
    Element plist = doc.getDocumentElement();
    assertEquals("plist", plist.getTagName());
    assertEquals("1.0", plist.getAttribute("version"));
    assertEquals("plist", doc.getDoctype().getName());
    Element dict = first(plist, "dict");
    List<String> keys = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (Node n = dict.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!(n instanceof Element e)) continue;
      if (e.getTagName().equals("key")) keys.add(e.getTextContent());
      else values.add(e.getTagName());
    }
    assertEquals(
        List.of(
            "Label",
            "ProgramArguments",
            "WorkingDirectory",
            "EnvironmentVariables",
            "RunAtLoad",
            "KeepAlive",
            "ThrottleInterval",
            "StandardOutPath",
            "StandardErrorPath"),
        keys);
    assertEquals(
        List.of("string", "array", "string", "dict", "true", "dict", "integer", "string", "string"),
        values,
        "each key's value has the type launchd.plist(5) gives it");
  }

  private static Element first(Element parent, String tag) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(tag)) return e;
    }
    throw new AssertionError("no " + tag);
  }

  @Test
  void theWindowsTaskValidatesAgainstTheTaskSchedulerSchema() throws Exception {
    SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    javax.xml.validation.Schema schema =
        sf.newSchema(
            Fixtures.root().resolve("testdata/service/task-scheduler-subset.xsd").toFile());
    schema
        .newValidator()
        .validate(new StreamSource(new StringReader(ServiceFiles.windowsTask(WINDOWS))));
    // A count the schema refuses is refused: the check can fail.
    String tooMany =
        ServiceFiles.windowsTask(WINDOWS).replace("<Count>255</Count>", "<Count>999</Count>");
    org.junit.jupiter.api.Assertions.assertThrows(
        org.xml.sax.SAXException.class,
        () -> schema.newValidator().validate(new StreamSource(new StringReader(tooMany))));
  }
}
