package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.Fixtures;
import dev.pmj.testing.Leftovers;
import dev.pmj.testing.PmjProcess;
import dev.pmj.testing.PmjRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The commands of a second terminal against a real {@code pmj up}: each typed as a user types it,
 * from the project's folder or one inside it.
 */
class ControlCommandsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String YAML = PmjRun.tickerAndQuiet("0.05");

  @RegisterExtension final PmjRun run = new PmjRun();
  private final Path dir = run.dir();

  private PmjProcess up() throws Exception {
    run.write(YAML);
    return run.upUntil(
        WAIT,
        "^pmj +\\| dashboard: http://127\\.0\\.0\\.1:[0-9]+/\\?token=[A-Za-z0-9_-]{43}$",
        "^quiet +\\| quiet here$");
  }

  @Test
  void theInstanceFolderIsPrivateAndTheStateFileTellsWhereTheApiIs() throws Exception {
    try (PmjProcess pmj = up()) {
      Path state = dir.resolve(".pmj/state.json");
      assertEquals(
          "rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(".pmj"))));
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
      assertEquals("*\n", Files.readString(dir.resolve(".pmj/.gitignore")));
      String json = Files.readString(state);
      assertTrue(
          json.matches(
              "\\{\"pid\":"
                  + pmj.pid()
                  + ",\"port\":[0-9]+,\"token\":\"[A-Za-z0-9_-]{43}\",\"file\":\""
                  + Pattern.quote(dir.resolve("pmj.yaml").toString())
                  + "\",\"version\":\"[^\"]+\",\"startedAt\":\"[0-9T:.Z-]+\"}\n"),
          json);
      pmj.signal("TERM");
      assertEquals(0, pmj.awaitExit(WAIT));
      assertFalse(Files.exists(state), "the state file is removed at exit");
    }
  }

  @Test
  void theApiOfARealPmjAnswersWithTheTokenOfItsStateFileAndTheDashboardAddressLogsIn()
      throws Exception {
    try (PmjProcess pmj = up()) {
      String json = Files.readString(dir.resolve(".pmj/state.json"));
      Matcher m = Pattern.compile("\"port\":([0-9]+),\"token\":\"([^\"]+)\"").matcher(json);
      assertTrue(m.find(), json);
      String base = "http://127.0.0.1:" + m.group(1);
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpResponse<String> r =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/processes"))
                  .header("Authorization", "Bearer " + m.group(2))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().startsWith("[{\"id\":\"ticker\","), r.body());
      String printed =
          pmj.awaitLine("^pmj +\\| dashboard: ", WAIT).replaceFirst("^pmj +\\| dashboard: ", "");
      assertEquals(base + "/?token=" + m.group(2), printed);
      java.net.http.HttpResponse<String> login =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(printed)).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, login.statusCode());
      assertTrue(
          login
              .headers()
              .firstValue("Set-Cookie")
              .orElse("")
              .startsWith("pmj_token_" + m.group(1) + "="));
      assertEquals(
          401,
          http.send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/processes"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .statusCode());
    }
  }

  @Test
  void psListsTheProcessesFromAnyFolderInsideTheProject() throws Exception {
    try (PmjProcess pmj = up()) {
      Path deep = Files.createDirectories(dir.resolve("src/deeper"));
      Cli.Run ps = Cli.run(deep, "ps");
      assertEquals(0, ps.code(), ps.err());
      assertEquals("", ps.err());
      List<String> lines = ps.out().lines().toList();
      assertEquals(3, lines.size(), ps.out());
      assertTrue(
          lines.get(0).matches("ID +STATE +PID +UPTIME +RESTARTS +CPU +MEMORY +LAST EXIT"),
          lines.get(0));
      assertTrue(
          lines
              .get(1)
              .matches("ticker +ready +[0-9]+ +[0-9]+s +0 +[0-9.]+% +([0-9.]+ (MB|KB)|-) +-"),
          lines.get(1));
      assertTrue(lines.get(2).startsWith("quiet "), lines.get(2));
      // Columns line up: every row has its state where the header has STATE.
      int col = lines.get(0).indexOf("STATE");
      for (String l : lines.subList(1, 3)) assertEquals("ready", l.substring(col, col + 5));

      Cli.Run json = Cli.run(dir, "ps", "--json");
      assertEquals(0, json.code());
      assertTrue(
          json.out().startsWith("[{\"id\":\"ticker\",\"state\":\"ready\",\"pid\":"), json.out());
    }
  }

  @Test
  void aSecondUpOfTheSameFileSaysWhereTheFirstRunsAndExits1() throws Exception {
    try (PmjProcess pmj = up()) {
      try (PmjProcess second = run.up()) {
        assertEquals(1, second.awaitExit(WAIT));
        assertEquals("", second.stdout());
        Matcher m =
            Pattern.compile(
                    "pmj: already running pmj\\.yaml \\(pid "
                        + pmj.pid()
                        + ", dashboard http://127\\.0\\.0\\.1:[0-9]+/\\?token=[A-Za-z0-9_-]{43}\\); reach it with pmj ps, pmj logs, pmj attach or pmj down\n")
                .matcher(second.stderr());
        assertTrue(m.matches(), second.stderr());
      }
      assertTrue(pmj.isAlive());
      assertEquals(0, Cli.run(dir, "ps").code());
    }
  }

  @Test
  void aStateFileLeftByAKilledPmjNeverBlocksAStart() throws Exception {
    Files.createDirectories(dir.resolve(".pmj"));
    Files.writeString(dir.resolve(".pmj/instance.lock"), "");
    Files.writeString(
        dir.resolve(".pmj/state.json"),
        "{\"pid\":999999,\"port\":1,\"token\":\"stale\",\"file\":\"x\",\"version\":\"0\",\"startedAt\":\"2020-01-01T00:00:00.000Z\"}\n");
    run.write(YAML);
    Cli.Run before = Cli.run(dir, "ps");
    assertEquals(1, before.code());
    assertEquals(
        "pmj: no pmj is running pmj.yaml (removed .pmj/state.json, left by a run that ended; start it with pmj up)\n",
        before.err());
    assertFalse(Files.exists(dir.resolve(".pmj/state.json")));
    try (PmjProcess pmj = up()) {
      Cli.Run ps = Cli.run(dir, "ps");
      assertEquals(0, ps.code(), ps.err());
    }
  }

  @Test
  void withNothingRunningEveryControlCommandSaysSoInOneLineAndExits1() throws Exception {
    run.write(YAML);
    for (String[] args :
        List.of(
            new String[] {"ps"},
            new String[] {"restart", "ticker"},
            new String[] {"stop", "all"},
            new String[] {"start", "quiet"},
            new String[] {"logs"},
            new String[] {"logs", "-f"},
            new String[] {"down"})) {
      Cli.Run r = Cli.run(dir, args);
      assertEquals(
          new Cli.Run(1, "", "pmj: no pmj is running pmj.yaml (start it with pmj up)\n"),
          r,
          String.join(" ", args));
    }
    Path elsewhere = Files.createTempDirectory("pmj-nothing");
    try {
      Cli.Run r = Cli.run(elsewhere, "ps");
      assertEquals(1, r.code());
      assertEquals(
          "pmj: no pmj is running here: there is no pmj.yaml, pmj.yml or pmj.json in "
              + elsewhere
              + " or its parents (pass -f FILE)\n",
          r.err());
    } finally {
      Files.delete(elsewhere);
    }
  }

  @Test
  void restartStopAndStartAsTypedAndATypoChangesNothing() throws Exception {
    try (PmjProcess pmj = up()) {
      long before = Cli.pidOf("ticker", Cli.run(dir, "ps").out());
      Cli.Run typo = Cli.run(dir, "restart", "ticker", "quite");
      assertEquals(
          new Cli.Run(1, "", "pmj: no process \"quite\" (did you mean \"quiet\"?)\n"), typo);
      assertEquals(before, Cli.pidOf("ticker", Cli.run(dir, "ps").out()), "nothing was restarted");

      assertEquals(new Cli.Run(0, "ticker: restarting\n", ""), Cli.run(dir, "restart", "ticker"));
      pmj.awaitLine("^pmj +\\| ticker: restarting \\(pmj restart\\)$", WAIT);
      pmj.awaitLine(
          l ->
              l.matches("^pmj +\\| ticker: started \\(pid [0-9]+\\)$")
                  && !l.contains("pid " + before + ")"),
          "ticker started again",
          WAIT);
      assertNotEquals(before, Cli.pidOf("ticker", Cli.run(dir, "ps").out()));

      assertEquals(new Cli.Run(0, "quiet: stopping\n", ""), Cli.run(dir, "stop", "quiet"));
      pmj.awaitLine("^pmj +\\| quiet: stopped ", WAIT);
      assertEquals(new Cli.Run(0, "quiet: already stopped\n", ""), Cli.run(dir, "stop", "quiet"));
      assertEquals(new Cli.Run(0, "quiet: starting\n", ""), Cli.run(dir, "start", "quiet"));
      assertEquals(
          new Cli.Run(0, "every process: restarting (2 processes)\n", ""),
          Cli.run(dir, "restart", "all"));
      pmj.awaitLine("^pmj +\\| restarting every process \\(pmj restart\\)$", WAIT);
    }
  }

  @Test
  void logsPrintTheLinesAsUpShowsThemAndFollowEndsWhenPmjStops() throws Exception {
    try (PmjProcess pmj = up()) {
      pmj.awaitLine("^ticker +\\| tick 5$", WAIT);
      Cli.Run three = Cli.run(dir, "logs", "ticker", "-n", "3");
      assertEquals(0, three.code(), three.err());
      List<String> lines = three.out().lines().toList();
      assertEquals(3, lines.size());
      int first = Integer.parseInt(lines.get(0).substring("ticker | tick ".length()));
      for (int i = 0; i < 3; i++) assertEquals("ticker | tick " + (first + i), lines.get(i));

      Cli.Run all = Cli.run(dir, "logs");
      assertTrue(all.out().contains("quiet  | quiet here\n"), all.out());
      assertTrue(all.out().contains("pmj    | quiet: started (pid "), all.out());

      // One process's lines come with pmj's lines about it, as in the merged view.
      Cli.Run json = Cli.run(dir, "logs", "quiet", "--json");
      assertTrue(
          json.out()
              .matches(
                  "\\{\"seq\":[0-9]+,\"id\":\"pmj\",\"at\":\"[0-9T:.Z-]+\",\"text\":\"quiet: started \\(pid [0-9]+\\)\"}\n"
                      + "\\{\"seq\":[0-9]+,\"id\":\"quiet\",\"at\":\"[0-9T:.Z-]+\",\"text\":\"quiet here\"}\n"),
          json.out());

      Cli.Run stamped = Cli.run(dir, "logs", "quiet", "--timestamps", "--no-prefix", "--no-pmj");
      assertTrue(
          stamped.out().matches("[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} quiet here\n"),
          stamped.out());

      Cli.Run colored = Cli.run(dir, "logs", "quiet", "--color=always");
      assertTrue(
          colored
              .out()
              .matches(
                  "\033\\[1mpmj    \\|\033\\[0m quiet: started \\(pid [0-9]+\\)\n"
                      + "\033\\[33mquiet  \\|\033\\[0m quiet here\n"),
          colored.out());

      assertEquals(
          new Cli.Run(2, "", "pmj: -n must be 0 or more (got -1)\n"),
          Cli.run(dir, "logs", "-n", "-1"));

      CompletableFuture<Cli.Run> follow =
          CompletableFuture.supplyAsync(() -> Cli.run(dir, "logs", "-f", "ticker"));
      pmj.awaitLine("^ticker +\\| tick " + (first + 20) + "$", WAIT);
      Cli.Run down = Cli.run(dir, "down");
      assertEquals(new Cli.Run(0, "pmj: stopped pmj.yaml\n", ""), down);
      Cli.Run followed = follow.get(30, TimeUnit.SECONDS);
      assertEquals(0, followed.code());
      assertEquals("pmj: the pmj of pmj.yaml stopped\n", followed.err());
      List<String> followedLines = followed.out().lines().toList();
      // pmj's lines about ticker come with its own: first its start, at the end its stop.
      assertTrue(
          followedLines.get(0).matches("pmj    \\| ticker: started \\(pid [0-9]+\\)"),
          followed.out());
      assertTrue(
          followed.out().contains("pmj    | ticker: stopping (sending SIGTERM)\n"), followed.out());
      List<String> ticks = new ArrayList<>();
      for (String l : followedLines) {
        if (l.startsWith("pmj    | ")) assertTrue(l.startsWith("pmj    | ticker: "), l);
        else ticks.add(l);
      }
      assertTrue(ticks.size() > 20, "followed " + ticks.size() + " lines");
      int start = Integer.parseInt(ticks.get(0).substring("ticker | tick ".length()));
      for (int i = 0; i < ticks.size(); i++)
        assertEquals("ticker | tick " + (start + i), ticks.get(i));
      assertEquals(0, pmj.awaitExit(WAIT));
    }
  }

  @Test
  void runAddsAProcessThatPsMarksAndRmRemovesAndMistakesPointAtTheArgument() throws Exception {
    try (PmjProcess pmj = up()) {
      Path sub = Files.createDirectories(dir.resolve("sub"));
      Cli.Run run =
          Cli.run(
              sub,
              "run",
              "job",
              "--restart",
              "never",
              "--env",
              "WHO=job",
              "--",
              "sh",
              "-c",
              "echo $WHO in $(pwd); exec sleep 1000");
      assertEquals(
          new Cli.Run(0, "job: added (pmj logs job shows it, pmj rm job removes it)\n", ""), run);
      pmj.awaitLine("^job +\\| job in " + Pattern.quote(sub.toString()) + "$", WAIT);
      pmj.awaitLine(
          "^pmj +\\| job: added \\(pmj run\\): sh -c 'echo \\$WHO in \\$\\(pwd\\); exec sleep 1000'$",
          WAIT);
      Cli.Run ps = Cli.run(dir, "ps");
      assertTrue(ps.out().lines().anyMatch(l -> l.matches("job\\* +ready .*")), ps.out());
      assertTrue(ps.out().endsWith("* added at run time (pmj run), not in the file\n"), ps.out());
      assertFalse(
          Files.readString(dir.resolve("pmj.yaml")).contains("job"), "not written to the file");

      assertEquals(
          new Cli.Run(
              2,
              "",
              "pmj: --restart: must be one of always, on-failure, never (got \"sometimes\")\n"),
          Cli.run(dir, "run", "x", "--restart", "sometimes", "--", "true"));
      assertEquals(
          new Cli.Run(2, "", "pmj: --cwd: folder does not exist: " + dir.resolve("nowhere") + "\n"),
          Cli.run(dir, "run", "x", "--cwd", "nowhere", "--", "true"));
      assertEquals(
          new Cli.Run(
              2,
              "",
              "pmj: ID: invalid name \"no good\" (process ids use letters, digits, _, . and -, and start with a letter or digit)\n"),
          Cli.run(dir, "run", "no good", "--", "true"));
      assertEquals(
          new Cli.Run(
              2,
              "",
              "pmj: ID: the id \"pmj\" is reserved (pmj's own lines carry it); choose another\n"),
          Cli.run(dir, "run", "pmj", "--", "true"));
      assertEquals(
          new Cli.Run(
              2,
              "",
              "pmj: ID: id of 65 characters; ids are at most 64 (every line of output starts with one)\n"),
          Cli.run(dir, "run", "z".repeat(65), "--", "true"));
      assertEquals(
          new Cli.Run(2, "", "pmj: a process named \"job\" exists already; choose another id\n"),
          Cli.run(dir, "run", "job", "--", "true"));
      assertEquals(
          new Cli.Run(2, "", "pmj: --env: write KEY=VALUE (got \"novalue\")\n"),
          Cli.run(dir, "run", "x", "--env", "novalue", "--", "true"));
      assertEquals(2, Cli.run(dir, "run", "x").code());
      assertFalse(Cli.run(dir, "ps").out().contains("x "), "nothing was added by a mistake");

      assertEquals(
          new Cli.Run(
              1,
              "",
              "pmj: \"quiet\" is declared in pmj.yaml; only processes added at run time can be removed (stop it instead)\n"),
          Cli.run(dir, "rm", "quiet"));
      assertEquals(new Cli.Run(0, "job: stopping and removing\n", ""), Cli.run(dir, "rm", "job"));
      pmj.awaitLine("^pmj +\\| job: stopped ", WAIT);
      assertFalse(Cli.run(dir, "ps").out().contains("job"));
    }
  }

  /** A stand-in browser: writes the arguments it was given, one a line, to {@code record}. */
  private Path fakeOpener(Path bin, String name, Path record) throws Exception {
    Files.createDirectories(bin);
    Path opener = bin.resolve(name);
    Files.writeString(
        opener,
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > '"
            + record
            + ".tmp'\nmv '"
            + record
            + ".tmp' '"
            + record
            + "'\n");
    opener.toFile().setExecutable(true);
    return opener;
  }

  private String awaitFile(Path file) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.exists(file)) {
      assertTrue(System.nanoTime() < deadline, "the opener never ran");
      Thread.sleep(20); // polling a file the opener writes, with a deadline
    }
    return Files.readString(file);
  }

  /** What the browser was given: a 0600 page of .pmj/ that sends it to {@code url}. */
  private void assertOpenedThePageOf(String url, String args) throws Exception {
    String token = url.substring(url.indexOf("token=") + 6);
    assertFalse(args.contains(token), "the token is on no command line: " + args);
    Path page = dir.resolve(".pmj/dashboard.html");
    assertTrue(args.endsWith(page.toUri() + "\n"), args);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(page)));
    String html = Files.readString(page);
    assertTrue(html.contains("<meta http-equiv=\"refresh\" content=\"0;url=" + url + "\">"), html);
  }

  @Test
  void openPrintsTheDashboardAddressAndGivesTheBrowserAPrivatePageNotTheToken() throws Exception {
    try (PmjProcess pmj = up()) {
      Path bin = dir.resolve("bin");
      fakeOpener(bin, "xdg-open", dir.resolve("opened"));
      Cli.Run open =
          Cli.run(
              dir,
              Map.of("PATH", bin + ":" + System.getenv("PATH"), "DISPLAY", ":0", "BROWSER", ""),
              "open");
      assertEquals(0, open.code(), open.err());
      String url = open.out().strip();
      assertTrue(url.matches("http://127\\.0\\.0\\.1:[0-9]+/\\?token=[A-Za-z0-9_-]{43}"), url);
      assertEquals("pmj: opened with xdg-open\n", open.err());
      assertOpenedThePageOf(url, awaitFile(dir.resolve("opened")));

      // BROWSER, as many tools read it: %s stands for what to open.
      Path browser = fakeOpener(bin, "my-browser", dir.resolve("browsed"));
      Cli.Run viaBrowser =
          Cli.run(dir, Map.of("BROWSER", browser + " --new-window %s:/usr/bin/other"), "open");
      assertEquals(new Cli.Run(0, url + "\n", "pmj: opened with my-browser\n"), viaBrowser);
      String args = awaitFile(dir.resolve("browsed"));
      assertTrue(args.startsWith("--new-window\n"), args);
      assertOpenedThePageOf(url, args);

      Cli.Run headless =
          Cli.run(dir, Map.of("DISPLAY", "", "WAYLAND_DISPLAY", "", "BROWSER", ""), "open");
      assertEquals(new Cli.Run(0, url + "\n", ""), headless);
      assertFalse(
          Files.exists(dir.resolve(".pmj/dashboard.html")), "no page is left when none opened it");
      pmj.signal("TERM");
      assertEquals(0, pmj.awaitExit(WAIT));
    }
  }

  @Test
  void serviceInstallWritesAUserUnitAndSaysHowToCheckItAndUninstallRemovesIt() throws Exception {
    run.write("name: My Shop\nprocesses:\n  a: {command: sleep 1000}\n");
    Path xdg = dir.resolve("config");
    String before = System.getProperty("pmj.home");
    System.setProperty("pmj.home", Fixtures.root().toString());
    try {
      Map<String, String> env = Map.of("XDG_CONFIG_HOME", xdg.toString());
      Cli.Run install = Cli.run(dir, env, "service", "install", "--user");
      Path unit = xdg.resolve("systemd/user/pmj-my-shop.service");
      assertEquals(0, install.code(), install.err());
      assertTrue(install.out().startsWith("wrote " + unit + "\n"), install.out());
      assertTrue(
          install.out().endsWith("check it: systemctl --user status pmj-my-shop.service\n"),
          install.out());
      String text = Files.readString(unit);
      assertTrue(
          text.contains(
              "ExecStart="
                  + Fixtures.root().resolve("pmj")
                  + " up --no-console -f "
                  + dir.resolve("pmj.yaml")
                  + "\n"),
          text);
      assertTrue(text.contains("WorkingDirectory=" + dir + "\n"), text);
      assertTrue(text.contains("Restart=on-failure\n"), text);
      assertEquals(
          new Cli.Run(0, "removed " + unit + "\n", ""),
          Cli.run(dir, env, "service", "uninstall", "--user"));
      assertFalse(Files.exists(unit));
      assertEquals(
          new Cli.Run(1, "", "pmj: there is no " + unit + " to remove\n"),
          Cli.run(dir, env, "service", "uninstall", "--user"));
    } finally {
      if (before == null) System.clearProperty("pmj.home");
      else System.setProperty("pmj.home", before);
    }
  }

  @Test
  void downReturnsOnceEveryProcessHasStopped() throws Exception {
    try (PmjProcess pmj = up()) {
      Cli.Run down = Cli.run(dir, "down");
      assertEquals(new Cli.Run(0, "pmj: stopped pmj.yaml\n", ""), down);
      // Only pmj itself may still be finishing its exit: no process it started is left.
      List<String> left = new ArrayList<>(Leftovers.find(pmj.tag));
      left.removeIf(p -> p.startsWith(pmj.pid() + " "));
      assertEquals(List.of(), left);
      assertEquals(0, pmj.awaitExit(WAIT));
      pmj.awaitLine("^pmj +\\| shutdown requested \\(pmj down\\), stopping every process$", WAIT);
    }
  }

  @Test
  void logFilesGetEveryLineWithItsTime() throws Exception {
    run.write(
        """
        logDir: logs
        processes:
          one:
            command: python3 @TESTDATA@/lines.py 2000 one
            restart: never
          two:
            command: python3 @TESTDATA@/lines.py 1000 two
            restart: never
            logFile: two-${PMJ_PROCESS_ID}.txt
        """);
    try (PmjProcess pmj = run.up()) {
      assertEquals(0, pmj.awaitExit(WAIT), pmj.stderr());
      List<String> one = Files.readAllLines(dir.resolve("logs/one.log"), StandardCharsets.UTF_8);
      assertEquals(2000, one.size());
      for (int i = 0; i < one.size(); i++) {
        assertTrue(
            one.get(i)
                .matches(
                    "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z one "
                        + (i + 1)
                        + " x{40}"),
            one.get(i));
      }
      assertEquals(1000, Files.readAllLines(dir.resolve("two-two.txt")).size());
      assertFalse(
          Files.exists(dir.resolve("logs/two.log")), "logFile takes precedence over logDir");
    }
  }

  @Test
  void completionScriptsCompleteCommandsAndTheRunningProcesses() throws Exception {
    shim();
    Cli.Run bash = Cli.run(dir, "completion", "bash");
    assertEquals(0, bash.code());
    Path script = dir.resolve("pmj.bash");
    Files.writeString(script, bash.out());
    try (PmjProcess pmj = up()) {
      assertEquals("restart", complete(script, "pmj res"));
      assertEquals("quiet", complete(script, "pmj restart qu"));
      assertEquals("all", complete(script, "pmj stop a"));
      assertEquals("ticker", complete(script, "pmj stop ti"));
      assertEquals("--follow", complete(script, "pmj logs --fo"));
      assertEquals("bash", complete(script, "pmj completion ba"));
      assertEquals("--except", complete(script, "pmj up --exc"));
      assertEquals("quiet", complete(script, "pmj up --except qu"));
    }
  }

  @Test
  void zshAndFishLoadTheirScriptsAndCompleteCommands() throws Exception {
    String zsh = dev.pmj.testing.Tools.require("zsh");
    shim();
    String fish = dev.pmj.testing.Tools.require("fish");
    Path z = dir.resolve("_pmj");
    Files.writeString(z, Cli.run(dir, "completion", "zsh").out());
    // bashcompinit runs the function in sh emulation (arrays from 0), as this does.
    String zout =
        shell(
            zsh,
            "-f",
            "-c",
            "autoload -U compinit && compinit -u -D; source '"
                + z
                + "'; f() { emulate -L sh; COMP_WORDS=(pmj res); COMP_CWORD=1; _pmj;"
                + " echo \"${COMPREPLY[*]}\"; }; f");
    // zsh's compgen does not filter by the word typed: zsh keeps the candidates that match it.
    assertTrue(List.of(zout.split(" ")).contains("restart"), zout);
    Path f = dir.resolve("pmj.fish");
    Files.writeString(f, Cli.run(dir, "completion", "fish").out());
    assertEquals("", shell(fish, "--no-execute", f.toString()));
    String fout = shell(fish, "--no-config", "-c", "source '" + f + "'; complete -C 'pmj res'");
    assertTrue(fout.startsWith("restart\t"), fout);
    String options =
        shell(fish, "--no-config", "-c", "source '" + f + "'; complete -C 'pmj logs --fo'");
    assertTrue(options.startsWith("--follow\t"), options);
  }

  private String shell(String... command) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  /** A {@code pmj} on PATH (dir/bin) that runs this build, for the scripts' {@code pmj __ids}. */
  private void shim() throws Exception {
    Path shim = Files.createDirectories(dir.resolve("bin")).resolve("pmj");
    Files.writeString(
        shim,
        "#!/bin/sh\nexec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' --add-exports java.base/sun.nio.ch=ALL-UNNAMED -cp '"
            + System.getProperty("java.class.path")
            + "' dev.pmj.cli.Main \"$@\"\n");
    shim.toFile().setExecutable(true);
  }

  /** What bash completes for a command line, through the script. */
  private String complete(Path script, String line) throws Exception {
    String[] words = line.split(" ", -1);
    StringBuilder arr = new StringBuilder();
    for (String w : words) arr.append('\'').append(w).append("' ");
    String cmd =
        "source '"
            + script
            + "'; COMP_WORDS=("
            + arr
            + "); COMP_CWORD="
            + (words.length - 1)
            + "; _pmj; echo \"${COMPREPLY[*]}\"";
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd).directory(dir.toFile());
    pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return out;
  }
}
