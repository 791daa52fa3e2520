package dev.pmj.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pmj.convert.JsLiteral.Concat;
import dev.pmj.convert.JsLiteral.EnvRef;
import dev.pmj.convert.JsLiteral.RelativePath;
import dev.pmj.convert.JsLiteral.Unsupported;
import dev.pmj.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PM2 ecosystem files read without running them; testdata/import/js/ holds real-world shapes. */
class JsLiteralTest {
  private static final String NODE =
      " cannot be read without running the file; pmj import --eval runs it with node";

  @Test
  void readsUnquotedKeysSingleQuotesCommentsAndTrailingCommas() throws Exception {
    Map<String, Object> env =
        map("NODE_ENV", "production", "GREETING", "it's \"here\"\n\tindented \u00e9\\");
    Map<String, Object> api = map("name", "api", "script", "server.js", "instances", 2L);
    api.putAll(map("max_restarts", 10L, "min_uptime", 1500.0, "env", env));
    Map<String, Object> worker =
        map("name", "worker", "script", "worker.js", "kill_timeout", 16L, "restart_delay", -1L);
    assertEquals(map("apps", list(api, worker)), fixture("processes.json"));
  }

  @Test
  void readsModuleExportsOfAListWithNullishFallbacks() throws Exception {
    String text =
        fixtureText("directus.ecosystem.config.cjs")
            .replace("\t\tautorestart: (process.env.PM2_AUTORESTART ?? 'true') === 'true',\n", "");
    assertEquals(
        list(
            map(
                "name", "directus",
                "script", "cli.js",
                "args", list("start"),
                "instances", new EnvRef("PM2_INSTANCES", 1L, false),
                "exec_mode", new EnvRef("PM2_EXEC_MODE", "cluster", false),
                "max_memory_restart", env("PM2_MAX_MEMORY_RESTART"),
                "min_uptime", env("PM2_MIN_UPTIME"),
                "listen_timeout", env("PM2_LISTEN_TIMEOUT"),
                "kill_timeout", env("PM2_KILL_TIMEOUT"),
                "max_restarts", env("PM2_MAX_RESTARTS"),
                "restart_delay", new EnvRef("PM2_RESTART_DELAY", 0L, false))),
        JsLiteral.read(text));
  }

  @Test
  void reportsTheComparisonInDirectusFileWhereItStarts() {
    assertUnsupported(
        "21:16: a comparison ((process.env.PM2_AUTORESTART ?? 'true') === 'true')" + NODE,
        fixtureText("directus.ecosystem.config.cjs"));
  }

  @Test
  void readsOrFallbacksUseStrictAndBracketAccessToTheEnvironment() throws Exception {
    assertEquals(
        map(
            "apps",
            list(
                map(
                    "name", "obojobo",
                    "script", "./index.js",
                    "cwd", "./packages/app/obojobo-express",
                    "instances", new EnvRef("PM2_APP_INSTANCES", "max", true),
                    "exec_mode", "cluster",
                    "max_memory_restart", new EnvRef("PM2_MAX_MEMORY", "200M", true),
                    "env",
                        map(
                            "NODE_ENV", "production",
                            "PORT", new EnvRef("PORT", 3000L, true),
                            "DEBUG", new EnvRef("DEBUG", false, false))))),
        fixture("obojobo.config.js"));
  }

  @Test
  void readsPathsFromTheFilesOwnFolder() throws Exception {
    assertEquals(
        map(
            "apps",
            list(
                map(
                    "name", "server",
                    "script", new RelativePath("dist/index.js"),
                    "cwd", new RelativePath("."),
                    "args", "--port 3000",
                    "error_file", new RelativePath("logs/error.log")))),
        fixture("dumogu.config.js"));
  }

  @Test
  void readsThePm2InitTemplateWithQuotedKeysInFileOrder() throws Exception {
    Map<?, ?> file = (Map<?, ?>) fixture("pm2-init.config.js");
    assertEquals(
        list(
            map("script", "index.js", "watch", "."),
            map("script", "./service-worker/", "watch", list("./service-worker"))),
        file.get("apps"));
    Map<?, ?> production = (Map<?, ?>) ((Map<?, ?>) file.get("deploy")).get("production");
    assertEquals(
        List.of(
            "user", "host", "ref", "repo", "path", "pre-deploy-local", "post-deploy", "pre-setup"),
        new ArrayList<>(production.keySet()));
    assertEquals(
        "npm install && pm2 reload ecosystem.config.js --env production",
        production.get("post-deploy"));
    assertEquals("", production.get("pre-deploy-local"));
  }

  @Test
  void readsOddIndentationTrailingWhitespaceAndACommentAfterAValue() throws Exception {
    assertEquals(
        map(
            "apps",
            list(
                map(
                    "name", "akuvvet-api",
                    "script", "/opt/app/.venv/bin/python",
                    "interpreter", "none",
                    "args", "-m app.main",
                    "cwd", "/opt/app",
                    "autorestart", true,
                    "watch", false,
                    "env", map("PYTHONUNBUFFERED", "1")))),
        fixture("akuvvet.config.js"));
  }

  @Test
  void readsTabsSpacesBeforeColonsTrailingCommasAndNoFinalNewline() throws Exception {
    assertEquals(
        map(
            "apps",
            list(
                map(
                    "name",
                    "waitwhat",
                    "script",
                    "./bin/www",
                    "watch",
                    true,
                    "ignore_watch",
                    list("node_modules", "!start.bat"),
                    "env",
                    map("NODE_ENV", "development")))),
        fixture("waitwhat.config.js"));
  }

  @Test
  void readsConstantsDeclaredAboveAndJoinsThemWithPlus() throws Exception {
    assertEquals(
        map(
            "apps",
            list(
                map(
                    "name", "change-me-web",
                    "script", "./web-server.js",
                    "env",
                        map(
                            "PORT",
                            3000L,
                            "PUBLIC_URL",
                            new Concat(List.of("http://localhost:", 3000L, "/change-me")))))),
        fixture("emergent.config.js"));
  }

  @Test
  void readsCrLfLineEndingsAByteOrderMarkAndCountsPositionsAfterThem() throws Exception {
    assertEquals(
        map("apps", list(map("name", "a"))),
        JsLiteral.read(
            "\uFEFFmodule.exports = {\r\n  apps: [\r\n    { name: 'a' },\r\n  ],\r\n}\r\n"));
    assertUnsupported(
        "2:10: a name that is not a constant declared above (foo)" + NODE,
        "\uFEFFmodule.exports = {\r\n  apps: [foo],\r\n}");
    assertUnsupported(
        "3:4: a name that is not a constant declared above (bar)" + NODE, "{\ra: 1,\rb: bar }");
  }

  @Test
  void readsEscapesInStringsAndTemplateLiteralsWithoutSubstitutions() throws Exception {
    assertEquals(
        list("a\nb\tc'd\"e\\f\u00e9g", "\u00e9\u00e9A", "x\ny\nz", "one line"),
        JsLiteral.read(
            "['a\\nb\\tc\\'d\\\"e\\\\f\\u00e9g', \"\\u00E9\\u{e9}\\x41\", `x\r\ny\nz`, 'one \\\nline']"));
  }

  @Test
  void readsNegativeDecimalHexOctalBinaryAndExponentNumbers() throws Exception {
    assertEquals(
        list(-5L, 0.5, -0.25, 255L, 8L, 5L, 1000000L, 2000.0, 1.0E20, 9.223372036854775807E18),
        JsLiteral.read(
            "[-5, .5, - 0.25, 0xFF, 0o10, 0b101, 1_000_000, 2e3, 100000000000000000000,"
                + " 9223372036854775808]"));
    assertEquals(
        map("1", "a", "16", "b", "1.5", "c", "2", "d"),
        JsLiteral.read("{ 1: 'a', 0x10: 'b', 1.5: 'c', 2.0: 'd' }"));
  }

  @Test
  void readsTrueFalseNullAndBothUndefinedAndArrayHolesAsNull() throws Exception {
    assertEquals(list(true, false, null, null), JsLiteral.read("[true, false, null, undefined]"));
    assertEquals(list(1L, null, 2L), JsLiteral.read("[1,,2,]"));
  }

  @Test
  void readsShorthandPropertiesOfConstants() throws Exception {
    assertEquals(
        map("apps", list(map("name", "web")), "name", "web"),
        JsLiteral.read(
            "const name = 'web'\nconst apps = [{ name }]\nmodule.exports = { apps, name }\n"));
  }

  @Test
  void readsStatementsSeparatedBySemicolonsOrNewLines() throws Exception {
    assertEquals(
        map("a", 1L, "b", 2L, "c", "x"),
        JsLiteral.read(
            "#!/usr/bin/env node\n'use strict';;const a = 1; let b = 2\nvar c = 'x', unused\n"
                + "module.exports = { a, b, c };"));
  }

  @Test
  void readsPropertiesSetOnModuleExportsAndExportsAsOneObject() throws Exception {
    assertEquals(
        map("apps", list(map("name", "a")), "deploy", map()),
        JsLiteral.read("module.exports.apps = [{ name: 'a' }]\nexports['deploy'] = {}\n"));
    assertEquals(
        map("apps", list(), "extra", 1L),
        JsLiteral.read("module.exports = { apps: [] }\nmodule.exports.extra = 1\n"));
    // As in node, exports stays the first object when module.exports is replaced.
    assertEquals(map("b", 2L), JsLiteral.read("exports.apps = [1]\nmodule.exports = { b: 2 }"));
  }

  @Test
  void readsExportDefaultAndAFileThatIsOneBareValue() throws Exception {
    assertEquals(map("apps", list()), JsLiteral.read("export default { apps: [] };\n"));
    assertEquals(list(map("name", "a")), JsLiteral.read("[{ name: 'a' }]"));
  }

  @Test
  void readsEnvironmentFallbacksOfAnyValueAndChainsOfThem() throws Exception {
    assertEquals(
        list(
            env("X"),
            new EnvRef("X", true, false),
            new EnvRef("X", 1.5, true),
            new EnvRef("A", new EnvRef("B", "c", true), true),
            new EnvRef("X", new RelativePath("logs"), true),
            new EnvRef("X", "ab", true)),
        JsLiteral.read(
            "const path = require('path');\n[process.env.X, process.env.X ?? true,"
                + " process.env['X'] || 1.5, process.env.A || process.env.B || 'c',"
                + " process.env.X || path.join(__dirname, 'logs'), (process.env.X || 'a' + 'b')]"));
  }

  @Test
  void readsStringsJoinedWithEnvironmentVariablesPathsAndNumbers() throws Exception {
    assertEquals(
        list(
            "abc",
            new Concat(List.of(env("HOME"), "/app")),
            new Concat(List.of("port-", 3000L)),
            new RelativePath("dist/index.js"),
            new RelativePath("logs/out.log"),
            new Concat(List.of(new RelativePath("logs/"), env("NAME"))),
            new Concat(List.of(new RelativePath("."), "/", env("NAME"))),
            new Concat(List.of(new RelativePath("."), "-old")),
            new Concat(List.of("--cwd=", new RelativePath("."))),
            new Concat(List.of(new EnvRef("DIR", "/srv", true), "/app"))),
        JsLiteral.read(
            "const path = require('path')\n"
                + "const app = 'app';\n"
                + "[\n"
                + "  'a' + 'b' + 'c',\n"
                + "  process.env.HOME + '/' + app,\n"
                + "  'port-' + 3000,\n"
                + "  __dirname + '/dist/index.js',\n"
                + "  path.join(__dirname, 'logs') + '/out.log',\n"
                + "  __dirname + '/logs/' + process.env.NAME,\n"
                + "  __dirname + '/' + process.env.NAME,\n"
                + "  __dirname + '-old',\n"
                + "  '--cwd=' + __dirname,\n"
                + "  (process.env.DIR || '/srv') + '/app',\n"
                + "]"));
  }

  @Test
  void readsPathJoinAndResolveFromTheFolderOrFromPlainStrings() throws Exception {
    assertEquals(
        list(
            new RelativePath("."),
            new RelativePath("../shared"),
            new RelativePath("a/b"),
            new RelativePath("a/b"),
            "/opt/x",
            "/srv/app",
            new RelativePath("logs"),
            new RelativePath("."),
            new RelativePath("dist/app.js")),
        JsLiteral.read(
            "const path = require(\"node:path\"), { join, resolve: r } = require('path');\n"
                + "const root = path.join(__dirname, 'dist')\n"
                + "module.exports = [__dirname, path.join(__dirname, '..', 'shared'),"
                + " path.resolve(__dirname, 'a/b/'), join(__dirname, 'a', '', 'b'),"
                + " path.join('/opt', 'app', '../x'), path.resolve(__dirname, '/srv/app'),"
                + " r(__dirname, './logs'), join(__dirname), path.join(root, 'app.js')]"));
  }

  @Test
  void keepsKeysInFileOrderWithTheLastValueOfARepeatedKey() throws Exception {
    Map<?, ?> read = (Map<?, ?>) JsLiteral.read("{ b: 1, a: 2, b: 3 }");
    assertEquals(List.of("b", "a"), new ArrayList<>(read.keySet()));
    assertEquals(3L, read.get("b"));
  }

  @Test
  void givesEachUseOfAConstantItsOwnMapsAndLists() throws Exception {
    List<?> read = (List<?>) JsLiteral.read("const env = { A: [1] }\nmodule.exports = [env, env]");
    assertEquals(read.get(0), read.get(1));
    assertNotSame(read.get(0), read.get(1));
  }

  @Test
  void reportsFunctionCallsWithTheCallAndWhereItStarts() {
    assertUnsupported(
        "3:14: a function call (require('./package.json'))" + NODE,
        "module.exports = {\n  apps: [{\n    version: require('./package.json').version,\n  }],\n}");
    assertUnsupported("1:12: a function call (require('fs'))" + NODE, "const fs = require('fs')\n");
    assertUnsupported(
        "1:31: a function call (os.cpus())" + NODE,
        "module.exports = { instances: os.cpus().length }");
    assertUnsupported(
        "2:18: a function call (path.dirname(__dirname))" + NODE,
        "const path = require('path')\nmodule.exports = path.dirname(__dirname)");
    assertUnsupported(
        "1:14: a function call (require('path').join)" + NODE,
        "const join = require('path').join\n");
    assertUnsupported(
        "1:6: a function call (Number(process.env.PORT))" + NODE,
        "{ a: Number(process.env.PORT) }");
  }

  @Test
  void reportsComparisonsConditionalsAndLogicalAnd() {
    assertUnsupported(
        "2:14: a conditional expression (isProd ? 'max' : 1)" + NODE,
        "const isProd = true\n{ instances: isProd\n    ? 'max'\n    : 1,\n  name: 'x' }");
    assertUnsupported(
        "1:10: an && expression (process.env.A && 'x')" + NODE, "{ watch: process.env.A && 'x' }");
    assertUnsupported(
        "1:10: a comparison (process.env.NODE_ENV !== 'production')" + NODE,
        "{ watch: process.env.NODE_ENV !== 'production' }");
  }

  @Test
  void reportsArithmeticAndSignsBeforeWhatIsNotANumber() {
    assertUnsupported("1:8: arithmetic (1024 * 1024 * 200)" + NODE, "{ max: 1024 * 1024 * 200 }");
    assertUnsupported("1:9: arithmetic (3000 + 1)" + NODE, "{ port: 3000 + 1 }");
    assertUnsupported(
        "1:8: a sign before a value that is not a number (-'1')" + NODE, "{ sig: -'1' }");
    assertUnsupported("1:10: a negation (!true)" + NODE, "{ watch: !true }");
    assertUnsupported("1:6: arithmetic (~1)" + NODE, "{ a: ~1 }");
    assertUnsupported("1:6: an increment (++n)" + NODE, "{ a: ++n }");
    assertUnsupported("2:6: an assignment (a = 2)" + NODE, "const a = 1\n{ x: a = 2, y: 3 }");
    assertUnsupported(
        "1:8: a + of a value that is not a string or a number ('a' + true)" + NODE,
        "{ arg: 'a' + true }");
  }

  @Test
  void reportsFunctionsArrowFunctionsAndMethods() {
    assertUnsupported("1:10: an arrow function (() => 1)" + NODE, "{ delay: () => 1 }");
    assertUnsupported("1:10: an arrow function (n => n * 2)" + NODE, "{ delay: n => n * 2 }");
    assertUnsupported(
        "1:10: a function (function () { return 1; })" + NODE,
        "{ delay: function () { return 1; } }");
    assertUnsupported(
        "1:10: an async function (async () => {})" + NODE, "{ delay: async () => {} }");
    assertUnsupported(
        "1:3: a method (delay() { return 1 })" + NODE, "{ delay() { return 1 }, a: 1 }");
    assertUnsupported(
        "1:3: a method (get delay() { return 1 })" + NODE, "{ get delay() { return 1 } }");
  }

  @Test
  void reportsSpreadsAndComputedKeys() {
    assertUnsupported(
        "2:21: a spread (...base)" + NODE,
        "const base = {}\nmodule.exports = [{ ...base, name: 'a' }]");
    assertUnsupported("1:2: a spread (...apps)" + NODE, "[...apps]");
    assertUnsupported("1:3: a computed key ([key])" + NODE, "{ [key]: 1 }");
  }

  @Test
  void reportsNamesThatAreNotConstantsAndPropertyAccess() {
    assertUnsupported(
        "1:9: a name that is not a constant declared above (__filename)" + NODE,
        "{ file: __filename }");
    assertUnsupported(
        "1:33: a name that is not a constant declared above (port)" + NODE,
        "module.exports = { env: { PORT: port } }\nconst port = 1");
    assertUnsupported(
        "2:9: a property access (config.port)" + NODE,
        "const config = { port: 1 }\n{ port: config.port }");
    assertUnsupported("1:8: the whole environment (process.env)" + NODE, "{ env: process.env }");
    assertUnsupported("1:9: a property access (process.argv)" + NODE, "{ args: process.argv }");
    assertUnsupported(
        "1:8: a computed property access (process.env[name])" + NODE, "{ env: process.env[name] }");
    assertUnsupported("1:8: a property access ('abc'.length)" + NODE, "{ len: 'abc'.length }");
    assertUnsupported("1:8: a property access ([1, 2][0])" + NODE, "{ one: [1, 2][0] }");
    assertUnsupported("1:8: optional chaining (process?.env)" + NODE, "{ env: process?.env }");
    assertUnsupported(
        "2:9: the path module or a function of it as a value (path)" + NODE,
        "const path = require('path')\n{ path: path }");
    assertUnsupported("1:9: this (this.x)" + NODE, "{ this: this.x }");
  }

  @Test
  void reportsNewRegularExpressionsAndTemplateLiteralsWithSubstitutions() {
    assertUnsupported(
        "1:9: a new expression (new Date().getTime())" + NODE, "{ time: new Date().getTime() }");
    assertUnsupported(
        "1:11: a regular expression (/node_modules/)" + NODE, "{ ignore: /node_modules/ }");
    assertUnsupported(
        "1:11: a template literal with ${...} (`${__dirname}/dist`)" + NODE,
        "{ script: `${__dirname}/dist`, a: '}' }");
  }

  @Test
  void reportsFallbacksWhoseLeftSideIsNotAnEnvironmentVariable() {
    assertUnsupported(
        "1:9: a || whose left side is not process.env.NAME ('a' || 'b')" + NODE,
        "{ name: 'a' || 'b' }");
    assertUnsupported(
        "1:9: a ?? whose left side is not process.env.NAME ((process.env.A || 'a') ?? 'b')" + NODE,
        "{ name: (process.env.A || 'a') ?? 'b' }");
  }

  @Test
  void reportsPathPartsThatAreNotPlainStringsAndPathsFromTheWorkingFolder() {
    String path = "const path = require('path')\n";
    assertUnsupported(
        "2:29: a part of path.join() that is not a plain string (process.env.LOGS)" + NODE,
        path + "{ log: path.join(__dirname, process.env.LOGS) }");
    assertUnsupported(
        "2:23: a part of path.join() that is not a plain string (__dirname)" + NODE,
        path + "{ log: path.join('a', __dirname) }");
    assertUnsupported(
        "2:8: a path from the folder pm2 is started in (path.resolve('dist'))" + NODE,
        path + "{ cwd: path.resolve('dist') }");
  }

  @Test
  void reportsStatementsThatAreNotDeclarationsOrExports() {
    assertUnsupported(
        "2:1: a property of module.exports, which is not an object (module.exports.x = 1)" + NODE,
        "module.exports = 5\nmodule.exports.x = 1");
    assertUnsupported(
        "2:1: a statement that is not a declaration or an export (console.log('starting'))" + NODE,
        "module.exports = {}\nconsole.log('starting')\n");
    assertUnsupported(
        "2:1: a statement that is not a declaration or an export (appName = 'web')" + NODE,
        "let appName = 'x'\nappName = 'web'\nmodule.exports = { name: appName }");
    assertUnsupported(
        "1:1: a statement that is not a declaration or an export (if (process.env.CI) { apps.pop() })"
            + NODE,
        "if (process.env.CI) { apps.pop() }\n");
    assertUnsupported(
        "1:1: a statement that is not a declaration or an export (import path from 'path')" + NODE,
        "import path from 'path'\nexport default {}");
    assertUnsupported(
        "1:7: a destructuring declaration ({ apps } = config)" + NODE,
        "const { apps } = config\nmodule.exports = { apps }");
    assertUnsupported(
        "1:1: a named export (export const apps = []); pmj reads module.exports = VALUE or export"
            + " default VALUE",
        "export const apps = []\n");
  }

  @Test
  void reportsWhatIsNotValidJavaScriptWhereItIs() {
    assertUnsupported(
        "2:10: found the name script where ',' or '}' is expected",
        "{ name: 'a'\n         script: 'b' }");
    assertUnsupported(
        "1:9: a string that is never closed (' without a closing one)", "{ name: 'a,\n b: 1 }");
    assertUnsupported(
        "2:3: a comment that is never closed (/* without */)", "{ a: 1,\n  /* b: 2 }");
    assertUnsupported("1:6: found '#', which is not valid JavaScript here", "{ a: #1 }");
    assertUnsupported(
        "1:9: a number with a leading zero (0755), which old JavaScript reads as octal; write 0o755"
            + " for octal or leave out the zero",
        "{ mode: 0755 }");
    assertUnsupported("1:6: a number without digits (0x)", "{ a: 0x }");
    assertUnsupported(
        "1:6: a string that is never closed (' without a closing one)", "{ a: 'abc\\");
    assertUnsupported("1:7: an escape that is not valid JavaScript (\\u{41')", "{ a: '\\u{41' }");
    assertUnsupported(
        "1:7: an escape that is not valid JavaScript (\\u{110000})", "{ a: '\\u{110000}' }");
    assertUnsupported(
        "1:6: a number followed by a letter (10n), which pmj cannot read", "{ a: 10n }");
    assertUnsupported("1:7: an escape that is not valid JavaScript (\\u00zz)", "{ a: '\\u00zz' }");
    assertUnsupported("1:8: found the end of the file where ',' or '}' is expected", "{ a: 1 ");
    assertUnsupported("1:9: found ':' where a key or '}' is expected", "{ a: 1, : 2 }");
    assertUnsupported(
        "1:17: found the end of the file where a value is expected", "module.exports =");
    assertUnsupported(
        "1:21: found the name extra where ';' or a new line is expected",
        "module.exports = {} extra");
  }

  @Test
  void reportsAFileThatExportsNothingOrMoreThanOneValue() {
    assertUnsupported(
        "1:1: found no module.exports, export default or value: the file exports nothing",
        "// nothing here\nconst a = 1\n");
    assertUnsupported(
        "2:1: a value that is not assigned to anything ([2]); a file is either one value (as"
            + " PM2's .json) or assigns module.exports",
        "[1];\n[2]");
    assertUnsupported(
        "1:1: a value that is not assigned to anything ({ apps: [] }); a file is either one value"
            + " (as PM2's .json) or assigns module.exports",
        "{ apps: [] }\nmodule.exports = {}");
  }

  @Test
  void reportsValuesNestedTooDeep() {
    String deep = "[".repeat(70) + "]".repeat(70);
    assertUnsupported("1:65: a value nested more than 64 levels deep, more than pmj reads", deep);
  }

  private static void assertUnsupported(String message, String text) {
    Unsupported e = assertThrows(Unsupported.class, () -> JsLiteral.read(text), text);
    assertEquals(message, e.getMessage(), text);
    String[] where = message.split(":", 3);
    assertEquals(Integer.parseInt(where[0]), e.line());
    assertEquals(Integer.parseInt(where[1]), e.column());
    if (message.endsWith(NODE)) {
      // The position is that of the quoted construct's first character.
      String quoted = message.substring(message.indexOf(" (") + 2, message.lastIndexOf(")" + NODE));
      String line = text.replace("\uFEFF", "").split("\r\n|\r|\n")[e.line() - 1];
      String first = quoted.split(" ")[0];
      assertTrue(line.substring(e.column() - 1).startsWith(first), first + " at " + message);
    }
  }

  private static Object fixture(String name) throws Unsupported {
    return JsLiteral.read(fixtureText(name));
  }

  private static String fixtureText(String name) {
    try {
      return Files.readString(Fixtures.root().resolve("testdata/import/js").resolve(name));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static EnvRef env(String name) {
    return new EnvRef(name, null, false);
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static List<Object> list(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }
}
