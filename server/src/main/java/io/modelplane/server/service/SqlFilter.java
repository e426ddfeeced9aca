package io.modelplane.server.service;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

/**
 * Checks a user's {@code filter_sql}: one boolean SQL expression over the source's columns, parsed
 * by JSqlParser. Refused: statements and {@code ;}, comments, subqueries, DDL/DML keywords, and
 * functions outside a small allowlist, and any character outside ASCII except inside string
 * literals (so a zero-width or look-alike character cannot disguise a function name). What reaches
 * the DAG is the parser's own rendering of the expression, never the raw text.
 */
public final class SqlFilter {
  /** The contract's maxLength of {@code filter_sql}, as sent and as stored (normalised). */
  public static final int MAX_LENGTH = 4000;

  private static final Set<String> FORBIDDEN_WORDS =
      Set.of(
          "select",
          "insert",
          "update",
          "delete",
          "merge",
          "drop",
          "create",
          "alter",
          "truncate",
          "grant",
          "revoke",
          "exec",
          "execute",
          "call",
          "union",
          "intersect",
          "except",
          "into",
          "with",
          "declare",
          "copy",
          "attach",
          "pragma",
          "set");
  private static final Set<String> ALLOWED_FUNCTIONS =
      Set.of(
          "lower",
          "upper",
          "trim",
          "ltrim",
          "rtrim",
          "length",
          "substring",
          "substr",
          "coalesce",
          "nullif",
          "abs",
          "round",
          "floor",
          "ceil",
          "date",
          "date_trunc",
          "date_add",
          "date_sub",
          "current_date",
          "current_timestamp",
          "year",
          "month",
          "day",
          "cast",
          "concat");
  private static final Set<String> BOOLEAN_ROOTS =
      Set.of(
          "AndExpression",
          "OrExpression",
          "XorExpression",
          "NotExpression",
          "EqualsTo",
          "NotEqualsTo",
          "GreaterThan",
          "GreaterThanEquals",
          "MinorThan",
          "MinorThanEquals",
          "InExpression",
          "Between",
          "IsNullExpression",
          "LikeExpression",
          "IsBooleanExpression",
          "IsDistinctExpression",
          "SimilarToExpression");

  private SqlFilter() {}

  /**
   * The normalised expression, or a 422 explaining what is wrong.
   *
   * @param filter the user's text
   * @param field where the filter is in the request body: creates and PATCHes put it in different
   *     places ({@link NewDeployment#FILTER_SQL}, {@link DeploymentChanges#FILTER_SQL})
   */
  public static String normalise(String filter, List<Object> field) {
    List<String> words = scanOutsideStrings(filter, field);
    for (String word : words) {
      String lower = word.toLowerCase(Locale.ROOT);
      if (FORBIDDEN_WORDS.contains(lower)) {
        throw invalid(
            field, "filter_sql must be a single boolean expression; '" + word + "' is not allowed");
      }
    }
    Expression expression;
    try {
      expression = CCJSqlParserUtil.parseCondExpression(filter, false);
    } catch (JSQLParserException | RuntimeException e) {
      throw invalid(field, "filter_sql is not a valid SQL boolean expression");
    }
    if (expression == null) { // blank text parses to nothing
      throw invalid(field, "filter_sql is empty; leave it out (or null) for no filter");
    }
    Expression root = unwrap(expression);
    if (!BOOLEAN_ROOTS.contains(root.getClass().getSimpleName())) {
      throw invalid(
          field, "filter_sql must be a boolean expression such as region = 'EU' AND amount > 10");
    }
    String normalised = expression.toString();
    if (normalised.length() > MAX_LENGTH) {
      // The parser's rendering spreads operators with spaces; what is stored and answered must
      // still fit the contract's 4,000 characters.
      throw invalid(
          field,
          "filter_sql is too long once normalised ("
              + normalised.length()
              + " characters, at most "
              + MAX_LENGTH
              + "): write it with fewer terms");
    }
    return normalised;
  }

  /** Peels parentheses around the whole expression. */
  private static Expression unwrap(Expression expression) {
    Expression current = expression;
    while (current
            instanceof
            net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList<?> list
        && list.size() == 1) {
      current = (Expression) list.get(0);
    }
    return current;
  }

  /**
   * Reads the text outside string literals: rejects statement separators and comments, checks
   * function names against the allowlist, and returns the bare words for the keyword check.
   */
  private static List<String> scanOutsideStrings(String text, List<Object> field) {
    List<String> words = new java.util.ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\'') {
        int end = i + 1;
        while (end < n) {
          if (text.charAt(end) == '\'') {
            if (end + 1 < n && text.charAt(end + 1) == '\'') {
              end += 2; // an escaped quote inside the literal
              continue;
            }
            break;
          }
          end++;
        }
        if (end >= n) {
          throw invalid(field, "filter_sql has an unterminated string literal");
        }
        i = end + 1;
      } else if (c == ';') {
        throw invalid(field, "filter_sql must be a single expression: ';' is not allowed");
      } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-'
          || c == '/' && i + 1 < n && text.charAt(i + 1) == '*'
          || c == '*' && i + 1 < n && text.charAt(i + 1) == '/'
          || c == '#') {
        throw invalid(field, "filter_sql must not contain comments");
      } else if (c == '"'
          || c == '`'
          || c == '['
          || c == '\\'
          || c == '$'
          || c == '{'
          || c == '}'
          || c == '?'
          || c == ':' && !(i + 1 < n && text.charAt(i + 1) == ':')) {
        throw invalid(field, "filter_sql must not contain the character '" + c + "'");
      } else if (c > 0x7e) {
        // Zero-width spaces, BOMs, look-alike letters and other non-ASCII text outside a string
        // literal would let a function name slip past the allowlist (pg_sleep\u200b): names
        // and identifiers are plain ASCII.
        throw invalid(
            field,
            String.format(
                "filter_sql must be plain ASCII outside string literals (found U+%04X):"
                    + " identifiers and function names are ASCII letters, digits and _",
                (int) c));
      } else if (isAsciiLetter(c) || c == '_') {
        int end = i;
        while (end < n
            && (isAsciiLetter(text.charAt(end))
                || isAsciiDigit(text.charAt(end))
                || text.charAt(end) == '_')) {
          end++;
        }
        String word = text.substring(i, end);
        int next = end;
        while (next < n && text.charAt(next) <= ' ') {
          next++;
        }
        if (next < n
            && text.charAt(next) == '('
            && !ALLOWED_FUNCTIONS.contains(word.toLowerCase(Locale.ROOT))
            && !isOperatorWord(word)) {
          throw invalid(field, "filter_sql may not call the function " + word + "()");
        }
        words.add(word);
        i = end;
      } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
        throw invalid(field, "filter_sql must not contain control characters");
      } else {
        i++;
      }
    }
    return words;
  }

  private static boolean isAsciiLetter(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Words that may precede a parenthesis without being functions. */
  private static boolean isOperatorWord(String word) {
    return Set.of("in", "and", "or", "not", "is", "between", "like", "as")
        .contains(word.toLowerCase(Locale.ROOT));
  }

  private static InvalidRequestException invalid(List<Object> field, String message) {
    return InvalidRequestException.invalidValue(InvalidRequestException.Part.BODY, field, message);
  }
}
