package dev.pmj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.testing.Cli;
import dev.pmj.testing.PmjProcess;
import dev.pmj.testing.PmjRun;
import dev.pmj.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** pmj exec: a one-off command with a process's environment, run as a user types it. */
class ExecCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Global env and env files, a process with its own env, env file and folder, and instances. */
  private static final String YAML =
      """
      env:
        GLOBAL: global-${FOO:-unset}
      envFile: [global.env]
      processes:
        web:
          command: sleep 100
          cwd: app
          env: {FOO: from-web}
          envFile: [web.env]
          instances: 2
        worker:
          command: sleep 100
      """;

  private static final String SHOW =
      "echo FOO=$FOO GLOBAL=$GLOBAL FROM_GLOBAL=$FROM_GLOBAL FROM_WEB=$FROM_WEB"
          + " ID=$PMJ_PROCESS_ID INSTANCE=$PMJ_INSTANCE; pwd";

  @RegisterExtension final PmjRun run = new PmjRun();
  private final Path dir = run.dir();

  private void project() throws Exception {
    run.write(YAML);
    Files.createDirectories(dir.resolve("app"));
    Files.writeString(dir.resolve("global.env"), "FROM_GLOBAL=g1\n");
    Files.writeString(dir.resolve("web.env"), "FROM_WEB=w1\n");
  }

  /** pmj exec ARGS as a real process; its exit code, stdout and stderr. */
  private Cli.Run exec(String... args) throws Exception {
    String[] full = new String[args.length + 1];
    full[0] = "exec";
    System.arraycopy(args, 0, full, 1, args.length);
    try (PmjProcess pmj = PmjProcess.start(dir, full)) {
      int code = pmj.awaitExit(WAIT);
      return new Cli.Run(code, pmj.stdout(), pmj.stderr());
    }
  }

  @Test
  void theCommandGetsTheEnvironmentAndFolderOfTheProcess() throws Exception {
    project();
    assertEquals(
        new Cli.Run(
            0,
            "FOO=from-web GLOBAL=global-from-web FROM_GLOBAL=g1 FROM_WEB=w1 ID=web.1 INSTANCE=1\n"
                + dir.resolve("app")
                + "\n",
            ""),
        exec("web", "--", "sh", "-c", SHOW));
  }

  @Test
  void anInstanceIsNamedByItsIdAndTheNameAloneIsTheFirst() throws Exception {
    project();
    assertEquals(
        new Cli.Run(
            0,
            "FOO=from-web GLOBAL=global-from-web FROM_GLOBAL=g1 FROM_WEB=w1 ID=web.2 INSTANCE=2\n"
                + dir.resolve("app")
                + "\n",
            ""),
        exec("web.2", "--", "sh", "-c", SHOW));
  }

  @Test
  void withoutIdTheCommandGetsTheGlobalEnvAndEnvFilesInTheProjectFolder() throws Exception {
    project();
    assertEquals(
        new Cli.Run(
            0,
            "FOO= GLOBAL=global-unset FROM_GLOBAL=g1 FROM_WEB= ID= INSTANCE=\n" + dir + "\n",
            ""),
        exec("--", "sh", "-c", SHOW));
    // Without envFile the global one is .env, when there is one; -f names another file.
    Files.writeString(dir.resolve("other.yaml"), "processes:\n  x: {command: x}\n");
    Files.writeString(dir.resolve(".env"), "FROM_GLOBAL=dotenv\n");
    assertEquals(
        new Cli.Run(0, "dotenv " + dir + "\n", ""),
        exec("-f", "other.yaml", "--", "sh", "-c", "echo $FROM_GLOBAL $PMJ_PROJECT_DIR"));
  }

  @Test
  void theExitCodeIsTheCommandsAnd128PlusTheSignalWhenOneEndedIt() throws Exception {
    project();
    assertEquals(new Cli.Run(3, "", ""), exec("--", "sh", "-c", "exit 3"));
    assertEquals(new Cli.Run(137, "", ""), exec("worker", "--", "sh", "-c", "kill -KILL $$"));
    assertEquals(new Cli.Run(143, "", ""), exec("--", "sh", "-c", "kill -TERM $$"));
  }

  @Test
  void termSentToPmjIsPassedOnAndPmjExitsWithTheCommandsCode() throws Exception {
    project();
    try (PmjProcess pmj =
        PmjProcess.start(
            dir,
            "exec",
            "--",
            "sh",
            "-c",
            "trap 'kill $!; echo terminated; exit 9' TERM; echo ready; sleep 60 & wait")) {
      pmj.awaitLine("^ready$", WAIT);
      pmj.signal("TERM");
      assertEquals(9, pmj.awaitExit(WAIT), pmj.stderr());
      assertEquals("ready\nterminated\n", pmj.stdout());
      assertEquals("", pmj.stderr());
    }
  }

  @Test
  void anUnknownIdIsSaidWithTheClosestOrEveryProcess() throws Exception {
    project();
    assertEquals(
        new Cli.Run(2, "", "pmj: no process \"wbe\" (did you mean \"web\"?)\n"),
        run.cli("exec", "wbe", "--", "true"));
    assertEquals(
        new Cli.Run(2, "", "pmj: no process \"db\" (processes: web.1, web.2, worker)\n"),
        run.cli("exec", "db", "--", "true"));
    assertEquals(
        new Cli.Run(2, "", "pmj: no process \"worker.2\" (did you mean \"worker\"?)\n"),
        run.cli("exec", "worker.2", "--", "true"));
  }

  @Test
  void aMissingCommandIsSaidWithAnExample() throws Exception {
    project();
    assertEquals(
        new Cli.Run(
            2,
            "",
            "pmj: COMMAND: missing; write it after --, as in: pmj exec web -- rails console\n"),
        run.cli("exec", "web", "--"));
    assertEquals(
        new Cli.Run(
            2,
            "",
            "pmj: COMMAND: missing; write it after --, as in: pmj exec web -- rails console\n"),
        run.cli("exec", "web"));
    assertEquals(
        new Cli.Run(2, "", "pmj: COMMAND: missing; write it after --, as in: pmj exec -- env\n"),
        run.cli("exec"));
    assertEquals(
        new Cli.Run(
            2, "", "pmj: COMMAND: write it after --, as in: pmj exec web -- rails console\n"),
        run.cli("exec", "web", "rails", "console"));
  }

  @Test
  void aProgramThatCannotRunIsSaidAsAShellWould() throws Exception {
    project();
    assertEquals(
        new Cli.Run(2, "", "pmj: exec: no-such-program: command not found in PATH\n"),
        run.cli("exec", "--", "no-such-program", "arg"));
    assertEquals(
        new Cli.Run(2, "", "pmj: exec: ./missing.sh: no such file\n"),
        run.cli("exec", "--", "./missing.sh"));
    Files.writeString(dir.resolve("app/plain.txt"), "not a program\n");
    assertEquals(
        new Cli.Run(2, "", "pmj: exec: ./plain.txt: permission denied (not executable)\n"),
        run.cli("exec", "web.2", "--", "./plain.txt"));
  }

  @Test
  void aProgramIsFoundInThePathTheProcessGets() throws Exception {
    project();
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path tool = bin.resolve("project-tool");
    Files.writeString(tool, "#!/bin/sh\necho project tool $FOO\n");
    assertTrue(tool.toFile().setExecutable(true));
    Files.writeString(dir.resolve("web.env"), "PATH=" + bin + ":${PATH}\n");
    assertEquals(new Cli.Run(0, "project tool from-web\n", ""), exec("web", "--", "project-tool"));
    // A program named by its path is found from the process's folder.
    Path local = dir.resolve("app/local.sh");
    Files.writeString(local, "#!/bin/sh\necho local $PMJ_PROCESS_ID\n");
    assertTrue(local.toFile().setExecutable(true));
    assertEquals(new Cli.Run(0, "local web.2\n", ""), exec("web.2", "--", "./local.sh"));
  }

  @Test
  void fileProblemsAreSaidAsValidateSaysThem() throws Exception {
    run.write("processes:\n  web: {command: web, restart: sometimes}\n");
    Cli.Run validate = run.cli("validate");
    assertEquals(2, validate.code());
    assertEquals(new Cli.Run(2, "", validate.err()), run.cli("exec", "web", "--", "true"));
    assertEquals(
        new Cli.Run(2, "", "nope.yaml: no such file\n"),
        run.cli("exec", "-f", "nope.yaml", "--", "true"));
  }

  @Test
  void helpAndCompletionKnowExec() throws Exception {
    project();
    Cli.Run help = run.cli("exec", "--help");
    assertEquals(0, help.code());
    assertTrue(
        help.out()
            .startsWith("Usage: pmj exec [-hV] [--debug] [-f=FILE]... [[ID] -- COMMAND...]\n"),
        help.out());
    assertTrue(run.cli("--help").out().contains("\n  exec "), "pmj --help lists exec");
    assertTrue(
        run.cli("completion", "bash")
            .out()
            .contains(
                "    exec) COMPREPLY=($(compgen -W \"-h --help -V --version -f --file --debug $(pmj __ids --file-ids 2>/dev/null)\""),
        "bash completes exec with the file's ids");
  }

  /**
   * In a real terminal: the command reads what is typed, and Ctrl-C reaches it while pmj waits on
   * to pass its exit code. The shell runs pmj as an interactive shell does: a job of its own in the
   * terminal's foreground (set -m).
   */
  @Test
  void inATerminalTheCommandReadsTypedInputAndCtrlCReachesIt() throws Exception {
    dev.pmj.testing.Tools.require("tmux");
    project();
    String tag = run.watch("pmj-test-" + UUID.randomUUID());
    String pmj = Tmux.pmjCommand(dir, tag);
    String script =
        """
        set -m
        %1$s exec web -- sh -c 'printf "name? "; read x; echo got $x from $PMJ_PROCESS_ID'
        echo first-exit=$?
        %1$s exec -- sh -c 'trap "kill \\$!; echo child-interrupted; exit 5" INT; echo waiting; sleep 60 & wait'
        echo second-exit=$?
        %1$s exec -- sh -c 'printf "again? "; read x; echo not-reached'
        echo third-exit=$?
        echo shell-done
        sleep 1000
        """
            .formatted(pmj);
    Files.writeString(dir.resolve("run.sh"), script);
    {
      Tmux tmux = run.closeFirst(Tmux.start(dir, 120, 30, "sh run.sh"));
      tmux.await("^name\\?", WAIT);
      tmux.sendKeys("hello", "Enter");
      tmux.await("^got hello from web.1$", WAIT);
      tmux.await("^first-exit=0$", WAIT);
      // The command handles Ctrl-C and exits 5: pmj, in the same foreground, did not end first.
      tmux.await("^waiting$", WAIT);
      tmux.sendKeys("C-c");
      tmux.await("^(\\^C)?child-interrupted$", WAIT); // the terminal echoes ^C
      tmux.await("^second-exit=5$", WAIT);
      // A command that Ctrl-C ends: 128 + SIGINT, as a shell reports it.
      tmux.await("^again\\?", WAIT);
      tmux.sendKeys("C-c");
      tmux.await("third-exit=130$", WAIT); // after the prompt and ^C
      tmux.await("^shell-done$", WAIT);
      assertTrue(!tmux.capture().contains("not-reached"), tmux.capture());
    }
  }
}
