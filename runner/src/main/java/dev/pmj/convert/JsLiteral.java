package dev.pmj.convert;

import dev.pmj.convert.JsTokens.Extent;
import dev.pmj.convert.JsTokens.Kind;
import dev.pmj.convert.JsTokens.Token;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the value a PM2 ecosystem file exports without running it: object and array literals,
 * constants declared above, {@code process.env} with fallbacks, and paths from the file's folder.
 * Anything that needs JavaScript to run is reported, with where it is, rather than guessed. The
 * statements (declarations, exports) are read here, each value by {@link JsExpression}.
 */
final class JsLiteral {
  /**
   * process.env.NAME, alone or with a fallback: {@code process.env.X || d} (or=true: used when X is
   * unset or empty) or {@code process.env.X ?? d} (or=false: only when unset). fallback is null
   * when there is none.
   */
  record EnvRef(String name, Object fallback, boolean or) {}

  /**
   * A path built from the file's own folder: {@code __dirname} alone is "."; {@code
   * path.join(__dirname, 'a', 'b')} and {@code path.resolve(__dirname, 'a/b')} are "a/b" (no
   * leading "./").
   */
  record RelativePath(String path) {}

  /**
   * Strings joined with {@code +} where some part is not a plain string (EnvRef, RelativePath, or a
   * number); plain string + plain string is folded into one String.
   */
  record Concat(List<Object> parts) {}

  /** What cannot be read without running the file, with where it is. */
  static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    /** {@code line} and {@code column} are 1-based, of the construct's first character. */
    Unsupported(String message, int line, int column) {
      super(line + ":" + column + ": " + message);
      this.line = line;
      this.column = column;
    }

    int line() {
      return line;
    }

    int column() {
      return column;
    }
  }

  static final String NEEDS_NODE =
      " cannot be read without running the file; pmj import --eval runs it with node";

  private static final Set<String> PATH_MODULES = Set.of("path", "node:path");

  private final JsTokens tokens;

  /** The constants declared so far, which values may use (null for a declaration without one). */
  private final Map<String, Object> constants = new HashMap<>();

  /** Names bound to node's path module ("") or to one of its functions ("join", "resolve"). */
  private final Map<String, String> pathNames = new HashMap<>();

  // As in node: `exports` is the object module.exports starts as, and stays so when it is replaced.
  private final Map<String, Object> exportsObject = new LinkedHashMap<>();
  private Object moduleExports = exportsObject;
  private boolean exported;
  private final JsExpression expression;

  private JsLiteral(String text) {
    tokens = new JsTokens(text);
    expression = new JsExpression(tokens, constants, pathNames);
  }

  /**
   * The value a module exports: {@code module.exports = VALUE}, {@code module.exports.apps = [...]}
   * or {@code exports.apps = ...} (gives {apps: [...]}), {@code export default VALUE}, or, for a
   * file that is one bare value (PM2's .json), that value. Maps are LinkedHashMap (keys in file
   * order), lists ArrayList, numbers Long or Double, plus String, Boolean, null, EnvRef,
   * RelativePath, Concat.
   */
  static Object read(String text) throws Unsupported {
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
        bareValue = expression.value();
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
        moduleExports = expression.value();
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
    if (viaModule && !(tokens.accept(".") && tokens.next().isName("exports")))
      throw statement(first);
    String property = tokens.accept(".") ? tokens.next().text() : null;
    if (property == null && tokens.accept("[")) {
      Token key = tokens.next();
      if (key.kind() != Kind.STRING || !tokens.accept("]")) throw statement(first);
      property = (String) key.value();
    }
    if ((!viaModule && property == null) || !tokens.accept("=")) throw statement(first);
    Object value = expression.value();
    if (property == null) {
      moduleExports = value;
    } else if (!viaModule) {
      exportsObject.put(property, value);
    } else if (moduleExports instanceof Map) {
      asMap(moduleExports).put(property, value);
    } else {
      throw tokens.needsNode(
          first, "a property of module.exports, which is not an object", Extent.STATEMENT);
    }
    exported = true;
  }

  private void endOfStatement() throws Unsupported {
    Token t = tokens.peek();
    if (t.is(";")) {
      tokens.next();
    } else if (t.kind() != Kind.EOF && !t.newlineBefore()) {
      throw tokens.syntax(t, "';' or a new line");
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
      if (name.kind() != Kind.NAME) throw tokens.syntax(name, "a name");
      pathNames.remove(name.text());
      constants.remove(name.text());
      if (!tokens.accept("=")) {
        constants.put(name.text(), null);
      } else if (tokens.peek().isName("require")) {
        requirePath();
        pathNames.put(name.text(), "");
      } else {
        constants.put(name.text(), expression.value());
      }
    } while (tokens.accept(","));
  }

  /** {@code const { join, resolve: r } = require('path')}: the only destructuring pmj reads. */
  private void destructuring(Token open) throws Unsupported {
    Map<String, String> names = open.is("{") ? names() : null;
    if (names == null || !tokens.accept("=") || !tokens.peek().isName("require")) {
      throw tokens.needsNode(open, "a destructuring declaration", Extent.STATEMENT);
    }
    requirePath();
    pathNames.putAll(names);
    names.keySet().forEach(constants::remove);
  }

  /** The names in {@code { join, resolve: r }}, local name to property; null for other patterns. */
  private Map<String, String> names() throws Unsupported {
    Map<String, String> names = new LinkedHashMap<>();
    while (!tokens.accept("}")) {
      Token key = tokens.next();
      Token local = tokens.accept(":") ? tokens.next() : key;
      if (key.kind() != Kind.NAME || local.kind() != Kind.NAME) return null;
      names.put(local.text(), key.text());
      if (!tokens.accept(",") && !tokens.peek().is("}")) return null;
    }
    return names;
  }

  /** Reads {@code require('path')}; any other module cannot be read without running it. */
  private void requirePath() throws Unsupported {
    Token require = tokens.next();
    Token open = tokens.peek();
    if (tokens.accept("(")) {
      Token module = tokens.next();
      tokens.accept(",");
      if (module.kind() == Kind.STRING
          && PATH_MODULES.contains(module.value())
          && tokens.accept(")")) {
        if (tokens.peek().is(".") || tokens.peek().is("(") || tokens.peek().is("[")) {
          throw tokens.needsNode(require, "a function call", Extent.EXPRESSION);
        }
        return;
      }
    }
    int end = open.is("(") ? tokens.end(open.start(), Extent.GROUP) : require.end();
    throw tokens.needsNode(require.start(), "a function call", end);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object map) {
    return (Map<String, Object>) map;
  }

  private Unsupported statement(Token first) {
    return tokens.needsNode(
        first, "a statement that is not a declaration or an export", Extent.STATEMENT);
  }

  private Unsupported secondValue(Token t) {
    return tokens.problem(
        t.start(),
        "a value that is not assigned to anything ("
            + excerpt(t, Extent.STATEMENT)
            + "); a file is either one value (as PM2's .json) or assigns module.exports");
  }

  private String excerpt(Token first, Extent extent) {
    return tokens.excerpt(first.start(), tokens.end(first.start(), extent));
  }
}
