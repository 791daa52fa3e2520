package dev.pmj.convert;

import dev.pmj.convert.JsLiteral.Unsupported;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tokens of a JavaScript file, read one at a time, and where things are in it. Tokens are read
 * only when the reader asks for them, so the first construct pmj cannot read is reported before
 * anything after it (the body of a regular expression, say) is misread as tokens.
 */
final class JsTokens {
  enum Kind {
    NAME,
    STRING,
    NUMBER,
    PUNCT,
    EOF
  }

  /** How far an excerpt of source reaches. */
  enum Extent {
    /** One bracket group or string, starting at its first character. */
    GROUP,
    /**
     * Up to a ',' or ';' or an unmatched closing bracket, or a line end outside brackets unless an
     * operator before or after it continues the expression.
     */
    EXPRESSION,
    /** As EXPRESSION, and also up to a line end outside brackets. */
    STATEMENT
  }

  /** {@code value} is the decoded String or the Number; {@code end} is just past the token. */
  record Token(Kind kind, String text, Object value, int start, int end, boolean newlineBefore) {
    boolean is(String punct) {
      return kind == Kind.PUNCT && text.equals(punct);
    }

    boolean isName(String name) {
      return kind == Kind.NAME && text.equals(name);
    }

    String describe() {
      switch (kind) {
        case EOF:
          return "the end of the file";
        case STRING:
          return "the string " + shorten(text);
        case NUMBER:
          return "the number " + text;
        case NAME:
          return "the name " + text;
        default:
          return "'" + text + "'";
      }
    }
  }

  private static final int EXCERPT_LENGTH = 60;

  /** Longest first, so that the longest operator at a position is the one read. */
  private static final List<String> PUNCTUATORS =
      List.of(
          ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==",
          "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=",
          "|=", "^=", "**", "<<", ">>", "{", "}", "[", "]", "(", ")", ",", ":", ";", ".", "?", "=",
          "+", "-", "*", "/", "%", "<", ">", "!", "~", "&", "|", "^");

  private final String text;
  private final int[] lineStarts;
  private int pos;
  private Token peeked;

  JsTokens(String text) {
    // A byte order mark is not part of the first line: editors show what follows it as column 1.
    this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
    this.lineStarts = lineStarts(this.text);
  }

  Token peek() throws Unsupported {
    if (peeked == null) peeked = read();
    return peeked;
  }

  Token next() throws Unsupported {
    Token t = peek();
    peeked = null;
    return t;
  }

  /** Reads {@code punct} if it comes next. */
  boolean accept(String punct) throws Unsupported {
    if (!peek().is(punct)) return false;
    next();
    return true;
  }

  /** Reads {@code punct}, which must come next ({@code expected} says what may). */
  void expect(String punct, String expected) throws Unsupported {
    Token t = next();
    if (!t.is(punct)) throw syntax(t, expected);
  }

  /** A token where another was expected. */
  Unsupported syntax(Token found, String expected) {
    return problem(
        found.start(), "found " + found.describe() + " where " + expected + " is expected");
  }

  /** {@code what}, starting at {@code first}, cannot be read without running the file. */
  Unsupported needsNode(Token first, String what, Extent extent) {
    return needsNode(first.start(), what, end(first.start(), extent));
  }

  /** {@code what}, from {@code start} to {@code end}, cannot be read without running the file. */
  Unsupported needsNode(int start, String what, int end) {
    return problem(start, what + " (" + excerpt(start, end) + ")" + JsLiteral.NEEDS_NODE);
  }

  /** A problem at {@code offset}, with its 1-based line and column. */
  Unsupported problem(int offset, String message) {
    int index = Arrays.binarySearch(lineStarts, offset);
    int line = index >= 0 ? index : -index - 2;
    return new Unsupported(message, line + 1, offset - lineStarts[line] + 1);
  }

  /** The source from {@code from} to {@code to} on one line, shortened when long. */
  String excerpt(int from, int to) {
    return shorten(text.substring(from, Math.max(from, to)).strip().replaceAll("\\s+", " "));
  }

  /**
   * Where the construct starting at {@code from} ends, by brackets, strings and comments alone: a
   * construct pmj cannot read may be one it cannot tokenize either.
   */
  int end(int from, Extent extent) {
    int depth = 0;
    int last = from;
    int i = from;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = last = stringEnd(i);
        if (extent == Extent.GROUP && depth == 0) return i;
        continue;
      }
      if (text.startsWith("//", i)) {
        while (i < text.length() && !isLineEnd(text.charAt(i))) i++;
        continue;
      }
      if (text.startsWith("/*", i)) {
        int close = text.indexOf("*/", i + 2);
        i = close < 0 ? text.length() : close + 2;
        continue;
      }
      if (depth == 0 && (c == ',' || c == ';')) return last;
      if (depth == 0 && isLineEnd(c) && (extent == Extent.STATEMENT || !continues(last, i))) {
        return last;
      }
      if (c == '(' || c == '[' || c == '{') depth++;
      if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) return last;
        depth--;
        if (depth == 0 && extent == Extent.GROUP) return i + 1;
      }
      i++;
      if (!Character.isWhitespace(c)) last = i;
    }
    return last;
  }

  /** Whether an operator at the end of one line or the start of the next joins them. */
  private boolean continues(int codeEnd, int lineEnd) {
    int next = lineEnd;
    while (next < text.length() && Character.isWhitespace(text.charAt(next))) next++;
    String operators = "+-*/%&|^=<>!?:.";
    boolean comment = text.startsWith("//", next) || text.startsWith("/*", next);
    return (codeEnd > 0 && operators.indexOf(text.charAt(codeEnd - 1)) >= 0)
        || (next < text.length() && !comment && operators.indexOf(text.charAt(next)) >= 0);
  }

  /** Whether '=>' follows the bracket group that opens at {@code open}: an arrow function. */
  boolean arrowAfter(int open) {
    int i = end(open, Extent.GROUP);
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
    return text.startsWith("=>", i);
  }

  private Token read() throws Unsupported {
    boolean newline = skipSpaceAndComments();
    int start = pos;
    if (pos == text.length()) return new Token(Kind.EOF, "", null, start, start, newline);
    char c = text.charAt(pos);
    Object value;
    Kind kind;
    if (c == '"' || c == '\'' || c == '`') {
      kind = Kind.STRING;
      value = string(c);
    } else if (isDigit(c)
        || (c == '.' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1)))) {
      kind = Kind.NUMBER;
      value = number();
    } else if (Character.isJavaIdentifierStart(c)) {
      kind = Kind.NAME;
      value = null;
      while (pos < text.length() && isNamePart(text.charAt(pos))) pos++;
    } else {
      kind = Kind.PUNCT;
      value = null;
      String punct =
          PUNCTUATORS.stream().filter(p -> text.startsWith(p, start)).findFirst().orElse(null);
      if (punct == null) {
        throw problem(start, "found '" + c + "', which is not valid JavaScript here");
      }
      pos += punct.length();
    }
    return new Token(kind, text.substring(start, pos), value, start, pos, newline);
  }

  /** Skips spaces and comments; returns whether a line ended among them (for statement ends). */
  private boolean skipSpaceAndComments() throws Unsupported {
    boolean newline = false;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (isLineEnd(c)) {
        newline = true;
        pos++;
      } else if (Character.isWhitespace(c) || c == '\u00A0' || c == '\uFEFF') {
        pos++;
      } else if (text.startsWith("//", pos) || (pos == 0 && text.startsWith("#!"))) {
        while (pos < text.length() && !isLineEnd(text.charAt(pos))) pos++;
      } else if (text.startsWith("/*", pos)) {
        int close = text.indexOf("*/", pos + 2);
        if (close < 0) throw problem(pos, "a comment that is never closed (/* without */)");
        for (int i = pos; i < close; i++) newline |= isLineEnd(text.charAt(i));
        pos = close + 2;
      } else {
        break;
      }
    }
    return newline;
  }

  private String string(char quote) throws Unsupported {
    int start = pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos == text.length() || (quote != '`' && isLineEnd(text.charAt(pos)))) {
        throw problem(start, "a string that is never closed (" + quote + " without a closing one)");
      }
      char c = text.charAt(pos++);
      if (c == quote) return out.toString();
      if (c == '\\' && pos < text.length()) {
        escape(out);
      } else if (quote == '`' && c == '$' && pos < text.length() && text.charAt(pos) == '{') {
        throw problem(
            start,
            "a template literal with ${...} ("
                + excerpt(start, end(start, Extent.GROUP))
                + ")"
                + JsLiteral.NEEDS_NODE);
      } else if (c == '\r') {
        // A template literal reads a line end of CR LF or CR as LF.
        if (pos < text.length() && text.charAt(pos) == '\n') pos++;
        out.append('\n');
      } else {
        out.append(c);
      }
    }
  }

  private void escape(StringBuilder out) throws Unsupported {
    int start = pos - 1;
    char c = text.charAt(pos++);
    switch (c) {
      case 'n' -> out.append('\n');
      case 't' -> out.append('\t');
      case 'r' -> out.append('\r');
      case 'b' -> out.append('\b');
      case 'f' -> out.append('\f');
      case 'v' -> out.append('\u000B');
      case '0' -> out.append('\0');
      case 'x' -> out.append((char) hex(start, 2));
      case 'u' -> {
        if (pos < text.length() && text.charAt(pos) == '{') {
          int close = text.indexOf('}', pos);
          if (close < 0) throw badEscape(start, pos + 1);
          int codePoint = parseHex(start, text.substring(pos + 1, close));
          pos = close + 1;
          if (!Character.isValidCodePoint(codePoint)) throw badEscape(start, close + 1);
          out.appendCodePoint(codePoint);
        } else {
          out.append((char) hex(start, 4));
        }
      }
      case '\r' -> {
        // A backslash at a line end continues the string on the next line.
        if (pos < text.length() && text.charAt(pos) == '\n') pos++;
      }
      case '\n', '\u2028', '\u2029' -> {}
      default -> out.append(c);
    }
  }

  private int hex(int start, int digits) throws Unsupported {
    if (pos + digits > text.length()) throw badEscape(start, text.length());
    int value = parseHex(start, text.substring(pos, pos + digits));
    pos += digits;
    return value;
  }

  private int parseHex(int start, String digits) throws Unsupported {
    if (digits.isEmpty() || digits.length() > 6 || !digits.chars().allMatch(JsTokens::isHexDigit)) {
      throw badEscape(start, pos + digits.length());
    }
    return Integer.parseInt(digits, 16);
  }

  private Unsupported badEscape(int start, int end) {
    return problem(
        start,
        "an escape that is not valid JavaScript ("
            + excerpt(start, Math.min(end, text.length()))
            + ")");
  }

  private Object number() throws Unsupported {
    int start = pos;
    Object value;
    char second = pos + 1 < text.length() ? Character.toLowerCase(text.charAt(pos + 1)) : ' ';
    if (text.charAt(pos) == '0' && (second == 'x' || second == 'o' || second == 'b')) {
      int radix = second == 'x' ? 16 : second == 'o' ? 8 : 2;
      pos += 2;
      while (pos < text.length()
          && (Character.digit(text.charAt(pos), radix) >= 0 || text.charAt(pos) == '_')) {
        pos++;
      }
      String digits = text.substring(start + 2, pos).replace("_", "");
      if (digits.isEmpty())
        throw problem(start, "a number without digits (" + text.substring(start, pos) + ")");
      BigInteger n = new BigInteger(digits, radix);
      value = n.bitLength() < 64 ? (Object) n.longValue() : (Object) n.doubleValue();
    } else {
      boolean fraction = false;
      skipDigits();
      if (pos < text.length() && text.charAt(pos) == '.') {
        fraction = true;
        pos++;
        skipDigits();
      }
      if (pos < text.length() && Character.toLowerCase(text.charAt(pos)) == 'e') {
        int sign = pos + 1 < text.length() && "+-".indexOf(text.charAt(pos + 1)) >= 0 ? 1 : 0;
        if (pos + 1 + sign < text.length() && isDigit(text.charAt(pos + 1 + sign))) {
          fraction = true;
          pos += 1 + sign;
          skipDigits();
        }
      }
      String digits = text.substring(start, pos).replace("_", "");
      if (digits.length() > 1 && digits.charAt(0) == '0' && isDigit(digits.charAt(1))) {
        throw problem(
            start,
            "a number with a leading zero ("
                + digits
                + "), which old JavaScript reads as octal; write 0o"
                + digits.substring(1)
                + " for octal or leave out the zero");
      }
      value = fraction ? (Object) Double.parseDouble(digits) : longOrDouble(digits);
    }
    if (pos < text.length() && Character.isJavaIdentifierStart(text.charAt(pos))) {
      throw problem(
          start,
          "a number followed by a letter ("
              + text.substring(start, pos + 1)
              + "), which pmj cannot read");
    }
    return value;
  }

  private static Object longOrDouble(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException tooLarge) {
      return Double.parseDouble(digits);
    }
  }

  private void skipDigits() {
    while (pos < text.length() && (isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
  }

  private int stringEnd(int open) {
    char quote = text.charAt(open);
    int i = open + 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else if (quote != '`' && isLineEnd(c)) {
        return i;
      } else {
        i++;
      }
    }
    return text.length();
  }

  private static int[] lineStarts(String text) {
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
      if (isLineEnd(c)) starts.add(i + 1);
    }
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  static String shorten(String s) {
    return s.length() <= EXCERPT_LENGTH ? s : s.substring(0, EXCERPT_LENGTH - 3) + "...";
  }

  private static boolean isLineEnd(char c) {
    return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(int c) {
    return Character.digit(c, 16) >= 0;
  }

  private static boolean isNamePart(char c) {
    return Character.isJavaIdentifierPart(c) && !Character.isIdentifierIgnorable(c);
  }
}
