package dev.pmj.convert;

import dev.pmj.convert.JsTokens.Extent;
import dev.pmj.convert.JsTokens.Kind;
import dev.pmj.convert.JsTokens.Token;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the value a PM2 ecosystem file exports without running it: object and array literals,
 * constants declared above, {@code process.env} with fallbacks, and paths from the file's folder.
 * Anything that needs JavaScript to run is reported, with where it is, rather than guessed.
 */
public final class JsLiteral {
  /**
   * process.env.NAME, alone or with a fallback: {@code process.env.X || d} (or=true: used when X is
   * unset or empty) or {@code process.env.X ?? d} (or=false: only when unset). fallback is null
   * when there is none.
   */
  public record EnvRef(String name, Object fallback, boolean or) {}

  /**
   * A path built from the file's own folder: {@code __dirname} alone is "."; {@code
   * path.join(__dirname, 'a', 'b')} and {@code path.resolve(__dirname, 'a/b')} are "a/b" (no
   * leading "./").
   */
  public record RelativePath(String path) {}

  /**
   * Strings joined with {@code +} where some part is not a plain string (EnvRef, RelativePath, or a
   * number); plain string + plain string is folded into one String.
   */
  public record Concat(List<Object> parts) {}

  /** What cannot be read without running the file, with where it is. */
  public static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    /** {@code line} and {@code column} are 1-based, of the construct's first character. */
    public Unsupported(String message, int line, int column) {
      super(line + ":" + column + ": " + message);
      this.line = line;
      this.column = column;
    }

    public int line() {
      return line;
    }

    public int column() {
      return column;
    }
  }

  static final String NEEDS_NODE =
      " cannot be read without running the file; pmj import --eval runs it with node";

  /** Deeper values are a broken or hostile file, and would overflow the reader's stack. */
  private static final int MAX_DEPTH = 64;

  private static final Set<String> PATH_MODULES = Set.of("path", "node:path");

  /** Operators that may follow a value but need JavaScript to run, by what they make. */
  private static final Map<String, String> OPERATORS = operators();

  private static final Map<String, String> PREFIX_OPERATORS =
      Map.of(
          "!", "a negation",
          "~", "arithmetic",
          "++", "an increment",
          "--", "a decrement",
          "...", "a spread",
          "/", "a regular expression",
          "/=", "a regular expression");

  private static final Map<String, String> KEYWORDS =
      Map.ofEntries(
          Map.entry("function", "a function"),
          Map.entry("async", "an async function"),
          Map.entry("class", "a class"),
          Map.entry("new", "a new expression"),
          Map.entry("this", "this"),
          Map.entry("typeof", "a typeof expression"),
          Map.entry("void", "a void expression"),
          Map.entry("delete", "a delete expression"),
          Map.entry("await", "an await expression"),
          Map.entry("yield", "a yield expression"),
          Map.entry("import", "an import"),
          Map.entry("super", "super"));

  private final JsTokens tokens;
  private final Map<String, Object> constants = new HashMap<>();

  /** Names bound to node's path module ("") or to one of its functions ("join", "resolve"). */
  private final Map<String, String> pathNames = new HashMap<>();

  // As in node: `exports` is the object module.exports starts as, and stays so when it is replaced.
  private final Map<String, Object> exportsObject = new LinkedHashMap<>();
  private Object moduleExports = exportsObject;
  private boolean exported;
  private int depth;

  private JsLiteral(String text) {
    tokens = new JsTokens(text);
  }

  /**
   * The value a module exports: {@code module.exports = VALUE}, {@code module.exports.apps = [...]}
   * or {@code exports.apps = ...} (gives {apps: [...]}), {@code export default VALUE}, or, for a
   * file that is one bare value (PM2's .json), that value. Maps are LinkedHashMap (keys in file
   * order), lists ArrayList, numbers Long or Double, plus String, Boolean, null, EnvRef,
   * RelativePath, Concat.
   */
  public static Object read(String text) throws Unsupported {
    return new JsLiteral(text).module();
  }

  private Object module() throws Unsupported {
    Token bare = null;
    Object bareValue = null;
    while (true) {
      Token t = tokens.peek();
      if (t.kind() == Kind.EOF) break;
      if (t.is(";")) {
        tokens.next();
        continue;
      }
      if (t.kind() == Kind.STRING) {
        tokens.next(); // 'use strict' and other directives change nothing pmj reads
      } else if (t.is("{") || t.is("[")) {
        if (bare != null || exported) throw secondValue(t);
        bare = t;
        bareValue = value();
      } else if (t.isName("const") || t.isName("let") || t.isName("var")) {
        tokens.next();
        declarations();
      } else if (t.isName("export")) {
        tokens.next();
        if (!tokens.next().isName("default")) {
          throw tokens.problem(
              t.start(),
              "a named export ("
                  + excerpt(t, Extent.STATEMENT)
                  + "); pmj reads module.exports = VALUE or export default VALUE");
        }
        moduleExports = value();
        exported = true;
      } else if (t.isName("module") || t.isName("exports")) {
        exportAssignment(t);
      } else {
        throw statement(t);
      }
      endOfStatement();
    }
    if (bare != null && exported) throw secondValue(bare);
    if (bare != null) return bareValue;
    if (!exported) {
      throw tokens.problem(
          0, "found no module.exports, export default or value: the file exports nothing");
    }
    return moduleExports;
  }

  /** {@code module.exports = v}, {@code module.exports.apps = v}, {@code exports['apps'] = v}. */
  private void exportAssignment(Token first) throws Unsupported {
    tokens.next();
    boolean viaModule = first.isName("module");
    if (viaModule && !(accept(".") && tokens.next().isName("exports"))) throw statement(first);
    String property = accept(".") ? tokens.next().text() : null;
    if (property == null && accept("[")) {
      Token key = tokens.next();
      if (key.kind() != Kind.STRING || !accept("]")) throw statement(first);
      property = (String) key.value();
    }
    if ((!viaModule && property == null) || !accept("=")) throw statement(first);
    Object value = value();
    if (property == null) {
      moduleExports = value;
    } else if (!viaModule) {
      exportsObject.put(property, value);
    } else if (moduleExports instanceof Map) {
      asMap(moduleExports).put(property, value);
    } else {
      throw needsNode(
          first, "a property of module.exports, which is not an object", Extent.STATEMENT);
    }
    exported = true;
  }

  private void endOfStatement() throws Unsupported {
    Token t = tokens.peek();
    if (t.is(";")) {
      tokens.next();
    } else if (t.kind() != Kind.EOF && !t.newlineBefore()) {
      throw syntax(t, "';' or a new line");
    }
  }

  /**
   * {@code const a = 1, b = 'x'}, {@code const path = require('path')}, {@code const {join} = ...}.
   */
  private void declarations() throws Unsupported {
    do {
      Token name = tokens.next();
      if (name.is("{") || name.is("[")) {
        destructuring(name);
        continue;
      }
      if (name.kind() != Kind.NAME) throw syntax(name, "a name");
      pathNames.remove(name.text());
      constants.remove(name.text());
      if (!accept("=")) {
        constants.put(name.text(), null);
      } else if (tokens.peek().isName("require")) {
        requirePath();
        pathNames.put(name.text(), "");
      } else {
        constants.put(name.text(), value());
      }
    } while (accept(","));
  }

  /** {@code const { join, resolve: r } = require('path')}: the only destructuring pmj reads. */
  private void destructuring(Token open) throws Unsupported {
    Map<String, String> names = open.is("{") ? names() : null;
    if (names == null || !accept("=") || !tokens.peek().isName("require")) {
      throw needsNode(open, "a destructuring declaration", Extent.STATEMENT);
    }
    requirePath();
    pathNames.putAll(names);
    names.keySet().forEach(constants::remove);
  }

  /** The names in {@code { join, resolve: r }}, local name to property; null for other patterns. */
  private Map<String, String> names() throws Unsupported {
    Map<String, String> names = new LinkedHashMap<>();
    while (!accept("}")) {
      Token key = tokens.next();
      Token local = accept(":") ? tokens.next() : key;
      if (key.kind() != Kind.NAME || local.kind() != Kind.NAME) return null;
      names.put(local.text(), key.text());
      if (!accept(",") && !tokens.peek().is("}")) return null;
    }
    return names;
  }

  /** Reads {@code require('path')}; any other module cannot be read without running it. */
  private void requirePath() throws Unsupported {
    Token require = tokens.next();
    Token open = tokens.peek();
    if (accept("(")) {
      Token module = tokens.next();
      accept(",");
      if (module.kind() == Kind.STRING && PATH_MODULES.contains(module.value()) && accept(")")) {
        if (tokens.peek().is(".") || tokens.peek().is("(") || tokens.peek().is("[")) {
          throw needsNode(require, "a function call", Extent.EXPRESSION);
        }
        return;
      }
    }
    int end = open.is("(") ? tokens.end(open.start(), Extent.GROUP) : require.end();
    throw needsNode(require.start(), "a function call", end);
  }

  /** One value: {@code a || b} and {@code a ?? b} over sums, and nothing that needs running. */
  private Object value() throws Unsupported {
    Token first = tokens.peek();
    if (++depth > MAX_DEPTH) {
      throw tokens.problem(
          first.start(),
          "a value nested more than " + MAX_DEPTH + " levels deep, more than pmj reads");
    }
    try {
      List<Object> operands = new ArrayList<>();
      operands.add(sum(first));
      List<Boolean> ors = new ArrayList<>();
      while (tokens.peek().is("||") || tokens.peek().is("??")) {
        ors.add(tokens.next().is("||"));
        operands.add(sum(first));
      }
      Token after = tokens.peek();
      String operator = after.kind() == Kind.PUNCT ? OPERATORS.get(after.text()) : null;
      if (operator != null) throw needsNode(first, operator, Extent.EXPRESSION);
      // `a || b || c` is `a || (b || c)`: each fallback holds the rest of the chain.
      Object result = operands.get(operands.size() - 1);
      for (int i = operands.size() - 2; i >= 0; i--) {
        if (!(operands.get(i) instanceof EnvRef ref) || ref.fallback() != null) {
          String symbol = ors.get(i) ? "||" : "??";
          throw needsNode(
              first, "a " + symbol + " whose left side is not process.env.NAME", Extent.EXPRESSION);
        }
        result = new EnvRef(ref.name(), result, ors.get(i));
      }
      return result;
    } finally {
      depth--;
    }
  }

  /** Strings, numbers, env refs and paths joined with {@code +}. */
  private Object sum(Token first) throws Unsupported {
    Object total = signed();
    while (accept("+")) {
      Object part = signed();
      for (Object p : Arrays.asList(total, part)) {
        if (!(p instanceof String
            || p instanceof Number
            || p instanceof EnvRef
            || p instanceof RelativePath
            || p instanceof Concat)) {
          throw needsNode(
              first, "a + of a value that is not a string or a number", Extent.EXPRESSION);
        }
      }
      if (total instanceof Number && part instanceof Number) {
        throw needsNode(first, "arithmetic", Extent.EXPRESSION);
      }
      List<Object> parts = new ArrayList<>();
      append(parts, total);
      append(parts, part);
      total = parts.size() == 1 ? parts.get(0) : new Concat(List.copyOf(parts));
    }
    return total;
  }

  private static void append(List<Object> parts, Object part) {
    if (part instanceof Concat concat) {
      for (Object p : concat.parts()) append(parts, p);
      return;
    }
    int lastIndex = parts.size() - 1;
    Object last = lastIndex < 0 ? null : parts.get(lastIndex);
    if (last instanceof String s && part instanceof String t) {
      parts.set(lastIndex, s + t);
    } else if (last instanceof RelativePath p && part instanceof String t && joinsPath(p, t)) {
      parts.set(lastIndex, new RelativePath(normalize(p.path() + t)));
    } else {
      parts.add(part);
    }
  }

  /**
   * Whether folder + text is still a path in that folder: {@code __dirname + '/dist'} is, {@code
   * __dirname + 'x'} is a sibling of the folder, and {@code __dirname + '/'} would lose its slash.
   */
  private static boolean joinsPath(RelativePath p, String t) {
    if (t.isEmpty()) return true;
    return (!p.path().equals(".") || t.startsWith("/")) && !normalize(p.path() + t).equals(".");
  }

  /**
   * A number with its signs: {@code -1}, {@code -0.5}; a sign before anything else needs running.
   */
  private Object signed() throws Unsupported {
    Token first = tokens.peek();
    if (!first.is("-") && !first.is("+")) return primary();
    boolean negative = false;
    while (tokens.peek().is("-") || tokens.peek().is("+")) negative ^= tokens.next().is("-");
    Object n = primary();
    if (n instanceof Long l) return negative ? -l : l;
    if (n instanceof Double d) return negative ? -d : d;
    throw needsNode(first, "a sign before a value that is not a number", Extent.EXPRESSION);
  }

  private Object primary() throws Unsupported {
    Token t = tokens.next();
    if (t.kind() == Kind.STRING || t.kind() == Kind.NUMBER) return t.value();
    if (t.kind() == Kind.NAME) return name(t);
    if (t.is("{")) return object();
    if (t.is("[")) return array();
    if (t.is("(")) {
      if (tokens.arrowAfter(t.start())) throw needsNode(t, "an arrow function", Extent.EXPRESSION);
      Object inner = value();
      expect(")", "')'");
      return inner;
    }
    String prefix = t.kind() == Kind.PUNCT ? PREFIX_OPERATORS.get(t.text()) : null;
    if (prefix != null) throw needsNode(t, prefix, Extent.EXPRESSION);
    throw syntax(t, "a value");
  }

  /** A name and what follows it: {@code true}, a constant, {@code process.env.X}, a call. */
  private Object name(Token first) throws Unsupported {
    String keyword = KEYWORDS.get(first.text());
    if (keyword != null) throw needsNode(first, keyword, Extent.EXPRESSION);
    if (tokens.peek().is("=>")) throw needsNode(first, "an arrow function", Extent.EXPRESSION);
    List<String> chain = new ArrayList<>(List.of(first.text()));
    int end = first.end();
    while (true) {
      if (tokens.peek().is("?.")) throw needsNode(first, "optional chaining", Extent.EXPRESSION);
      if (accept(".")) {
        Token property = tokens.next();
        if (property.kind() != Kind.NAME) throw syntax(property, "a property name");
        chain.add(property.text());
        end = property.end();
      } else if (accept("[")) {
        Token key = tokens.next();
        if (key.kind() != Kind.STRING || !tokens.peek().is("]")) {
          throw needsNode(first, "a computed property access", Extent.EXPRESSION);
        }
        chain.add((String) key.value());
        end = tokens.next().end();
      } else {
        break;
      }
    }
    if (tokens.peek().is("(")) return call(first, chain);
    String head = chain.get(0);
    if (chain.size() == 1) {
      switch (head) {
        case "true":
          return true;
        case "false":
          return false;
        case "null":
        case "undefined":
          return null;
        case "__dirname":
          return new RelativePath(".");
        default:
          if (constants.containsKey(head)) return copy(constants.get(head));
          if (pathNames.containsKey(head)) {
            throw needsNode(first.start(), "the path module or a function of it as a value", end);
          }
          throw needsNode(first.start(), "a name that is not a constant declared above", end);
      }
    }
    if (head.equals("process") && chain.get(1).equals("env")) {
      if (chain.size() == 3) return new EnvRef(chain.get(2), null, false);
      if (chain.size() == 2) throw needsNode(first.start(), "the whole environment", end);
    }
    throw needsNode(first.start(), "a property access", end);
  }

  /** {@code path.join(...)} and {@code path.resolve(...)}; any other call needs running. */
  private Object call(Token first, List<String> chain) throws Unsupported {
    int end = tokens.end(tokens.peek().start(), Extent.GROUP);
    String function = pathFunction(chain);
    if (!"join".equals(function) && !"resolve".equals(function)) {
      throw needsNode(first.start(), "a function call", end);
    }
    tokens.next();
    boolean resolve = function.equals("resolve");
    List<String> parts = new ArrayList<>();
    boolean inFolder = false;
    boolean absolute = false;
    for (int i = 0; !accept(")"); i++) {
      Token argument = tokens.peek();
      Object part = value();
      if (part instanceof RelativePath p && (i == 0 || resolve)) {
        // path.resolve starts again from each absolute part, and __dirname is one.
        parts.clear();
        parts.add(p.path());
        inFolder = true;
        absolute = false;
      } else if (part instanceof String s) {
        if (resolve && s.startsWith("/")) {
          parts.clear();
          inFolder = false;
          absolute = true;
        }
        if (!s.isEmpty()) parts.add(s);
      } else {
        throw needsNode(
            argument,
            "a part of path." + function + "() that is not a plain string",
            Extent.EXPRESSION);
      }
      if (!accept(",")) {
        expect(")", "',' or ')'");
        break;
      }
    }
    if (resolve && !inFolder && !absolute) {
      throw needsNode(first.start(), "a path from the folder pm2 is started in", end);
    }
    String path = normalize(String.join("/", parts));
    if (resolve && path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return inFolder ? new RelativePath(path) : path;
  }

  /** "join" for {@code path.join} or a destructured {@code join}; null for other functions. */
  private String pathFunction(List<String> chain) {
    String bound = pathNames.get(chain.get(0));
    if (bound == null) return null;
    if (bound.isEmpty()) return chain.size() == 2 ? chain.get(1) : null;
    return chain.size() == 1 ? bound : null;
  }

  private Map<String, Object> object() throws Unsupported {
    Map<String, Object> map = new LinkedHashMap<>();
    while (!accept("}")) {
      Token key = tokens.next();
      if (key.is("...")) throw needsNode(key, "a spread", Extent.EXPRESSION);
      if (key.is("["))
        throw needsNode(key.start(), "a computed key", tokens.end(key.start(), Extent.GROUP));
      String name = propertyName(key);
      Token next = tokens.peek();
      if (key.kind() == Kind.NAME && (next.is(",") || next.is("}"))) {
        map.put(name, name(key)); // shorthand: { name } is { name: name }
      } else if (next.is("(") || (Set.of("get", "set", "async").contains(name) && !next.is(":"))) {
        throw needsNode(key, "a method", Extent.EXPRESSION);
      } else {
        expect(":", "':' after the key " + name);
        map.put(name, value());
      }
      if (!accept(",")) {
        expect("}", "',' or '}'");
        break;
      }
    }
    return map;
  }

  private String propertyName(Token key) throws Unsupported {
    switch (key.kind()) {
      case NAME:
        return key.text();
      case STRING:
        return (String) key.value();
      case NUMBER:
        // A numeric key is the number's JavaScript text: { 0x10: 'a' } has the key "16".
        Object n = key.value();
        if (n instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e21) {
          return Long.toString(d.longValue());
        }
        return n.toString();
      default:
        throw syntax(key, "a key or '}'");
    }
  }

  private List<Object> array() throws Unsupported {
    List<Object> list = new ArrayList<>();
    while (!accept("]")) {
      if (accept(",")) {
        list.add(null); // a hole, which JavaScript reads as undefined
        continue;
      }
      list.add(value());
      if (!accept(",")) {
        expect("]", "',' or ']'");
        break;
      }
    }
    return list;
  }

  /**
   * A path without "." and ".." parts where it can be, as node's path.normalize: "./a//b/../c" is
   * "a/c", "" is ".", a leading "/" and a trailing "/" stay.
   */
  static String normalize(String path) {
    boolean absolute = path.startsWith("/");
    List<String> out = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) continue;
      if (!part.equals("..")) {
        out.add(part);
      } else if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
        out.remove(out.size() - 1);
      } else if (!absolute) {
        out.add(part);
      }
    }
    String joined = (absolute ? "/" : "") + String.join("/", out);
    if (out.isEmpty()) return absolute ? "/" : ".";
    return path.endsWith("/") ? joined + "/" : joined;
  }

  /** Each use of a constant gets its own maps and lists, so that changing one changes no other. */
  private static Object copy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put((String) k, copy(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(copy(v)));
      return copy;
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object map) {
    return (Map<String, Object>) map;
  }

  private boolean accept(String punct) throws Unsupported {
    if (!tokens.peek().is(punct)) return false;
    tokens.next();
    return true;
  }

  private void expect(String punct, String expected) throws Unsupported {
    Token t = tokens.next();
    if (!t.is(punct)) throw syntax(t, expected);
  }

  private Unsupported syntax(Token found, String expected) {
    return tokens.problem(
        found.start(), "found " + found.describe() + " where " + expected + " is expected");
  }

  private Unsupported statement(Token first) {
    return needsNode(first, "a statement that is not a declaration or an export", Extent.STATEMENT);
  }

  private Unsupported secondValue(Token t) {
    return tokens.problem(
        t.start(),
        "a value that is not assigned to anything ("
            + excerpt(t, Extent.STATEMENT)
            + "); a file is either one value (as PM2's .json) or assigns module.exports");
  }

  private Unsupported needsNode(Token first, String what, Extent extent) {
    return needsNode(first.start(), what, tokens.end(first.start(), extent));
  }

  private Unsupported needsNode(int start, String what, int end) {
    return tokens.problem(start, what + " (" + tokens.excerpt(start, end) + ")" + NEEDS_NODE);
  }

  private String excerpt(Token first, Extent extent) {
    return tokens.excerpt(first.start(), tokens.end(first.start(), extent));
  }

  private static Map<String, String> operators() {
    Map<String, String> operators = new HashMap<>();
    for (String op : List.of("===", "!==", "==", "!=", "<", ">", "<=", ">=")) {
      operators.put(op, "a comparison");
    }
    for (String op : List.of("-", "*", "/", "%", "**", "<<", ">>", ">>>", "&", "|", "^")) {
      operators.put(op, "arithmetic");
    }
    for (String op : List.of("=", "+=", "-=", "*=", "/=", "%=", "**=", "&&=", "||=", "??=")) {
      operators.put(op, "an assignment");
    }
    for (String op : List.of("<<=", ">>=", ">>>=", "&=", "|=", "^="))
      operators.put(op, "an assignment");
    operators.put("&&", "an && expression");
    operators.put("?", "a conditional expression");
    operators.put("=>", "an arrow function");
    operators.put("++", "an increment");
    operators.put("--", "a decrement");
    operators.put(".", "a property access");
    operators.put("?.", "optional chaining");
    operators.put("[", "a property access");
    operators.put("(", "a function call");
    return Map.copyOf(operators);
  }
}
