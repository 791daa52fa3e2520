package dev.pmj.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pmj.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README, "The file" through the loader: what a process finally gets. */
class TemplatesTest {
  @TempDir Path dir;
  private final Map<String, String> os =
      new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "HOME_DIR", "/home/u"));

  private LoadResult load(String yaml) throws Exception {
    return Fixtures.load(dir, os, yaml);
  }

  private ProcessSpec only(String yaml) throws Exception {
    LoadResult r = load(yaml);
    assertEquals(List.of(), r.problems());
    return r.project().processes().get(0);
  }

  private List<String> problems(String yaml) throws Exception {
    return load(yaml).problems().stream().map(ConfigProblem::format).toList();
  }

  @Test
  void defaultsFollowShellRulesForUnsetAndEmpty() throws Exception {
    os.put("EMPTY", "");
    ProcessSpec p =
        only(
            """
        processes:
          a:
            command: [echo, "${EMPTY:-colon}", "${EMPTY-dash}", "${UNSET-dash}", "${UNSET:-colon}", "${HOME_DIR}"]
        """);
    assertEquals(List.of("echo", "colon", "", "dash", "colon", "/home/u"), p.command());
  }

  @Test
  void lookupOrderIsProcessEnvThenGlobalThenTheShellThenEnvFiles() throws Exception {
    Files.writeString(
        dir.resolve(".env"), "X=file\nY=file\nZ=file\nV=file\nU=${Z}-${V}\nW=file:${W}\n");
    os.putAll(Map.of("X", "os", "Y", "os", "Z", "os", "W", "os"));
    ProcessSpec p =
        only(
            """
        env:
          X: global
          Y: global
        processes:
          a:
            command: [echo, "${X}", "${Y}", "${Z}", "${W}", "${V}", "${U}"]
            env:
              X: process
        """);
    // The shell wins over .env (PORT=7000 pmj up), as with dotenv and compose; what the file
    // writes in env stays as written.
    // A value that extends the shell's (PATH=./bin:${PATH}) applies on top of it.
    assertEquals(
        List.of("echo", "process", "global", "os", "file:os", "file", "os-file"), p.command());
    assertEquals("process", p.env().get("X"));
    assertEquals("os", p.env().get("Z"));
    assertEquals("file", p.env().get("V"));
  }

  @Test
  void anEscapedDollarInAnEnvFileReachesTheProcessAsADollar() throws Exception {
    Files.writeString(dir.resolve(".env"), "PRICE=\"cost \\$5 \\${HOME_DIR} ${HOME_DIR}\"\n");
    ProcessSpec p = only("processes:\n  a:\n    command: [echo]\n");
    assertEquals("cost $5 ${HOME_DIR} /home/u", p.env().get("PRICE"));
  }

  @Test
  void aRequiredVariableThatIsMissingFailsWithItsOwnMessage() throws Exception {
    os.put("EMPTY", "");
    os.put("SET", "yes");
    assertEquals(
        List.of(
            "pmj.yaml:4:14: processes.a.command[1]: set API_KEY in .env (ask a teammate)",
            "pmj.yaml:4:79: processes.a.command[3]: EMPTY is empty and is required here (set it in"
                + " env, an env file or the environment)",
            "pmj.yaml:4:93: processes.a.command[4]: UNSET is not set and is required here (set it"
                + " in env, an env file or the environment)",
            "pmj.yaml:6:10: processes.a.env.K: K2 needed"),
        problems(
            """
        processes:
          a:
            command:
              [echo, "${API_KEY:?set API_KEY in .env (ask a teammate)}", "${EMPTY?}", "${EMPTY:?}", "${UNSET?}", "${SET:?no}"]
            env:
              K: ${K2?K2 needed}
        """));
    ProcessSpec p =
        only(
            """
        processes:
          a:
            command: [echo, "${EMPTY?unset}", "${SET:?no}"]
        """);
    assertEquals(List.of("echo", "", "yes"), p.command());
  }

  @Test
  void anUnbracedVariableInAnEnvValueLoadsAsWrittenWithAWarning() throws Exception {
    LoadResult r =
        load(
            """
        env:
          G: $HOME/x
        processes:
          a:
            command: [sh, -c, 'echo $HOME']
            env:
              URL: "http://$HOST:${PORT:-80}/"
              PRICE: "$$5"
              RAW: '$$HOST'
        """);
    assertEquals(List.of(), r.problems());
    assertEquals("http://$HOST:80/", r.project().processes().get(0).env().get("URL"));
    assertEquals(List.of("sh", "-c", "echo $HOME"), r.project().processes().get(0).command());
    assertEquals(
        List.of(
            "pmj.yaml:2:6: env.G: $HOME is kept as written: no shell expands env values; write"
                + " ${HOME} to use the variable",
            "pmj.yaml:7:12: processes.a.env.URL: $HOST is kept as written: no shell expands env"
                + " values; write ${HOST} to use the variable"),
        r.warnings());
  }

  @Test
  void builtInsNameTheProjectProcessAndInstance() throws Exception {
    LoadResult r =
        load(
            """
        processes:
          web:
            command: [echo, "${PMJ_PROJECT_DIR}", "${PMJ_PROCESS_ID}", "${PMJ_INSTANCE}"]
            instances: 2
        """);
    assertEquals(List.of(), r.problems());
    assertEquals(
        List.of("echo", dir.toString(), "web.2", "2"), r.project().process("web.2").command());
    assertEquals("web.1", r.project().process("web.1").env().get("PMJ_PROCESS_ID"));
  }

  @Test
  void dollarDollarIsALiteralAndASubstitutedValueIsNotSubstitutedAgain() throws Exception {
    os.put("TRICKY", "${HOME_DIR}");
    ProcessSpec p =
        only(
            """
        processes:
          a:
            command: [echo, "$${HOME_DIR}", "${TRICKY}", "cost $$5"]
        """);
    assertEquals(List.of("echo", "${HOME_DIR}", "${HOME_DIR}", "cost $$5"), p.command());
  }

  @Test
  void aValueReferringToItsOwnNameSeesTheNextLayerOut() throws Exception {
    os.put("PATH", "/usr/bin");
    ProcessSpec p =
        only(
            """
        env:
          PATH: /global/bin:${PATH}
        processes:
          a:
            command: echo
            env:
              PATH: ./bin:${PATH}
        """);
    assertEquals("./bin:/global/bin:/usr/bin", p.env().get("PATH"));
  }

  @Test
  void envValuesMayUseOtherKeysAndNestedDefaults() throws Exception {
    ProcessSpec p =
        only(
            """
        processes:
          a:
            command: echo
            env:
              HOST: localhost
              URL: http://${HOST}:${PORT:-${FALLBACK_PORT:-8080}}/
        """);
    assertEquals("http://localhost:8080/", p.env().get("URL"));
  }

  @Test
  void anUndefinedVariableNamesItselfAndWhereItIsUsed() throws Exception {
    assertEquals(
        List.of(
            "pmj.yaml:3:10: processes.a.cwd: undefined variable NOPE (set it in env, an env file or the "
                + "environment, or give a default: ${NOPE:-value})"),
        problems(
            """
        processes:
          a:
            cwd: ${NOPE}
            command: echo
        """));
  }

  @Test
  void aCycleIsAnErrorNotAHang() throws Exception {
    assertEquals(
        List.of("pmj.yaml:3:6: env.B: variable cycle: A -> B -> A"),
        problems(
                """
        env:
          A: ${B}
          B: ${A}
        processes:
          a:
            command: echo
        """)
            .subList(0, 1));
  }

  @Test
  void interpolatorLookupsAreErrorsWhereverTheyAppearAndAreNeverEvaluated() throws Exception {
    Path marker = dir.resolve("pwned");
    Files.writeString(
        dir.resolve(".env"),
        "FROM_FILE=${script:javascript:java.lang.Runtime.getRuntime().exec('touch "
            + marker
            + "')}\n");
    os.put("FROM_OS", "${file:UTF-8:/etc/passwd}");
    List<String> found =
        problems(
            """
        processes:
          a:
            command: [echo, "${FROM_OS}"]
            env:
              SYS: ${sys:user.home}
        """);
    assertEquals(
        List.of(
            ".env:1:1: FROM_FILE: ${script:javascript:java.lang.Runtime.getRuntime().exec('touch "
                + marker
                + "')} is an interpolator lookup (\"script:\"); only plain variables like ${NAME} or ${NAME:-default} exist, "
                + "and lookups are never evaluated",
            "pmj.yaml:3:21: processes.a.command[1]: FROM_OS (from the environment) contains ${file:UTF-8:/etc/passwd}, an "
                + "interpolator lookup; only plain variables like ${NAME} exist, and lookups are never evaluated",
            "pmj.yaml:5:12: processes.a.env.SYS: ${sys:user.home} is an interpolator lookup (\"sys:\"); only plain variables "
                + "like ${NAME} or ${NAME:-default} exist, and lookups are never evaluated"),
        found);
    assertEquals(false, Files.exists(marker));
  }

  @Test
  void singleQuotedEnvFileValuesAreLiteral() throws Exception {
    Files.writeString(dir.resolve(".env"), "A='${NOT_A_VAR}'\nB=\"${HOME_DIR}/x\"\n");
    ProcessSpec p =
        only(
            """
        processes:
          a:
            command: echo
        """);
    assertEquals("${NOT_A_VAR}", p.env().get("A"));
    assertEquals("/home/u/x", p.env().get("B"));
  }
}
