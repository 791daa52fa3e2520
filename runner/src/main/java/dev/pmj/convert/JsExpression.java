package dev.pmj.convert;

import dev.pmj.convert.JsLiteral.Concat;
import dev.pmj.convert.JsLiteral.EnvRef;
import dev.pmj.convert.JsLiteral.RelativePath;
import dev.pmj.convert.JsLiteral.Unsupported;
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
 * One value of an ecosystem file, read without running it: literals, constants declared above,
 * {@code process.env} with fallbacks, {@code path.join} and {@code path.resolve} from the file's
 * folder, and strings joined with +. An operator, keyword or call that needs JavaScript to run is
 * reported with what it is and where.
 */
final class JsExpression {
  /** Deeper values are a broken or hostile file, and would overflow the reader's stack. */
  private static final int MAX_DEPTH = 64;

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

  /** The constants declared above, by name (null for a declaration without a value). */
  private final Map<String, Object> constants;

  /** Names bound to node's path module ("") or to one of its functions ("join", "resolve"). */
  private final Map<String, String> pathNames;

  private int depth;

  JsExpression(JsTokens tokens, Map<String, Object> constants, Map<String, String> pathNames) {
    this.tokens = tokens;
    this.constants = constants;
    this.pathNames = pathNames;
  }

  /** One value: {@code a || b} and {@code a ?? b} over sums, and nothing that needs running. */
  Object value() throws Unsupported {
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
      if (operator != null) throw tokens.needsNode(first, operator, Extent.EXPRESSION);
      // `a || b || c` is `a || (b || c)`: each fallback holds the rest of the chain.
      Object result = operands.get(operands.size() - 1);
      for (int i = operands.size() - 2; i >= 0; i--) {
        if (!(operands.get(i) instanceof EnvRef ref) || ref.fallback() != null) {
          String symbol = ors.get(i) ? "||" : "??";
          throw tokens.needsNode(
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
    while (tokens.accept("+")) {
      Object part = signed();
      for (Object p : Arrays.asList(total, part)) {
        if (!(p instanceof String
            || p instanceof Number
            || p instanceof EnvRef
            || p instanceof RelativePath
            || p instanceof Concat)) {
          throw tokens.needsNode(
              first, "a + of a value that is not a string or a number", Extent.EXPRESSION);
        }
      }
      if (total instanceof Number && part instanceof Number) {
        throw tokens.needsNode(first, "arithmetic", Extent.EXPRESSION);
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
    throw tokens.needsNode(first, "a sign before a value that is not a number", Extent.EXPRESSION);
  }

  private Object primary() throws Unsupported {
    Token t = tokens.next();
    if (t.kind() == Kind.STRING || t.kind() == Kind.NUMBER) return t.value();
    if (t.kind() == Kind.NAME) return name(t);
    if (t.is("{")) return object();
    if (t.is("[")) return array();
    if (t.is("(")) {
      if (tokens.arrowAfter(t.start()))
        throw tokens.needsNode(t, "an arrow function", Extent.EXPRESSION);
      Object inner = value();
      tokens.expect(")", "')'");
      return inner;
    }
    String prefix = t.kind() == Kind.PUNCT ? PREFIX_OPERATORS.get(t.text()) : null;
    if (prefix != null) throw tokens.needsNode(t, prefix, Extent.EXPRESSION);
    throw tokens.syntax(t, "a value");
  }

  /** A name and what follows it: {@code true}, a constant, {@code process.env.X}, a call. */
  private Object name(Token first) throws Unsupported {
    String keyword = KEYWORDS.get(first.text());
    if (keyword != null) throw tokens.needsNode(first, keyword, Extent.EXPRESSION);
    if (tokens.peek().is("=>"))
      throw tokens.needsNode(first, "an arrow function", Extent.EXPRESSION);
    List<String> chain = new ArrayList<>(List.of(first.text()));
    int end = first.end();
    while (true) {
      if (tokens.peek().is("?."))
        throw tokens.needsNode(first, "optional chaining", Extent.EXPRESSION);
      if (tokens.accept(".")) {
        Token property = tokens.next();
        if (property.kind() != Kind.NAME) throw tokens.syntax(property, "a property name");
        chain.add(property.text());
        end = property.end();
      } else if (tokens.accept("[")) {
        Token key = tokens.next();
        if (key.kind() != Kind.STRING || !tokens.peek().is("]")) {
          throw tokens.needsNode(first, "a computed property access", Extent.EXPRESSION);
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
            throw tokens.needsNode(
                first.start(), "the path module or a function of it as a value", end);
          }
          throw tokens.needsNode(
              first.start(), "a name that is not a constant declared above", end);
      }
    }
    if (head.equals("process") && chain.get(1).equals("env")) {
      if (chain.size() == 3) return new EnvRef(chain.get(2), null, false);
      if (chain.size() == 2) throw tokens.needsNode(first.start(), "the whole environment", end);
    }
    throw tokens.needsNode(first.start(), "a property access", end);
  }

  /** {@code path.join(...)} and {@code path.resolve(...)}; any other call needs running. */
  private Object call(Token first, List<String> chain) throws Unsupported {
    int end = tokens.end(tokens.peek().start(), Extent.GROUP);
    String function = pathFunction(chain);
    if (!"join".equals(function) && !"resolve".equals(function)) {
      throw tokens.needsNode(first.start(), "a function call", end);
    }
    tokens.next();
    boolean resolve = function.equals("resolve");
    List<String> parts = new ArrayList<>();
    boolean inFolder = false;
    boolean absolute = false;
    for (int i = 0; !tokens.accept(")"); i++) {
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
        throw tokens.needsNode(
            argument,
            "a part of path." + function + "() that is not a plain string",
            Extent.EXPRESSION);
      }
      if (!tokens.accept(",")) {
        tokens.expect(")", "',' or ')'");
        break;
      }
    }
    if (resolve && !inFolder && !absolute) {
      throw tokens.needsNode(first.start(), "a path from the folder pm2 is started in", end);
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
    while (!tokens.accept("}")) {
      Token key = tokens.next();
      if (key.is("...")) throw tokens.needsNode(key, "a spread", Extent.EXPRESSION);
      if (key.is("["))
        throw tokens.needsNode(
            key.start(), "a computed key", tokens.end(key.start(), Extent.GROUP));
      String name = propertyName(key);
      Token next = tokens.peek();
      if (key.kind() == Kind.NAME && (next.is(",") || next.is("}"))) {
        map.put(name, name(key)); // shorthand: { name } is { name: name }
      } else if (next.is("(") || (Set.of("get", "set", "async").contains(name) && !next.is(":"))) {
        throw tokens.needsNode(key, "a method", Extent.EXPRESSION);
      } else {
        tokens.expect(":", "':' after the key " + name);
        map.put(name, value());
      }
      if (!tokens.accept(",")) {
        tokens.expect("}", "',' or '}'");
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
        throw tokens.syntax(key, "a key or '}'");
    }
  }

  private List<Object> array() throws Unsupported {
    List<Object> list = new ArrayList<>();
    while (!tokens.accept("]")) {
      if (tokens.accept(",")) {
        list.add(null); // a hole, which JavaScript reads as undefined
        continue;
      }
      list.add(value());
      if (!tokens.accept(",")) {
        tokens.expect("]", "',' or ']'");
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
