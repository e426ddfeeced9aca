package io.modelplane.server.support;

import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of hostile request values: free text that mixes fragments meant to break out of
 * a Python string, a template or a SQL statement with ordinary text, and identifiers that are
 * mostly invalid (each also has its oracle: the contract's own pattern).
 */
public final class HostileStrings {
  private HostileStrings() {}

  /** The contract's identifier pattern (columns, schemas, tables, catalogs). */
  public static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,127}$");

  /** The contract's training {@code source_table}: 1 to 3 identifiers joined by dots. */
  public static final Pattern TABLE =
      Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,127}(\\.[A-Za-z_][A-Za-z0-9_]{0,127}){0,2}$");

  /** The contract's deployment name (DNS-1123 label). */
  public static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

  /** Fragments that try to end a string literal, open a template tag or smuggle a statement. */
  public static final List<String> FRAGMENTS =
      List.of(
          "\"",
          "'",
          "\"\"\"",
          "'''",
          "\\",
          "\\\\",
          "\\\"",
          "\\'",
          "\n",
          "\r\n",
          "\r",
          "\0",
          "\u2028",
          "\u2029",
          "\u0085",
          "\u000b",
          "\u000c",
          "\t",
          "\u007f",
          "\u001b[31m",
          "\ufeff",
          "\u202e",
          "\u200d",
          "{{",
          "}}",
          "{{ dag_id }}",
          "{{ var.value.secret }}",
          "{% raw %}",
          "{% endraw %}",
          "{# x #}",
          "${}",
          "${HOME}",
          "${jndi:ldap://x/a}",
          "%s",
          "%d",
          "%(name)s",
          "%",
          "#",
          "\\x41",
          "\\u0041",
          "\\N{BULLET}",
          "\\0",
          "\"); import os; os.system(\"id\"); (\"",
          "\"\"\"; __import__('os').system('id'); \"\"\"",
          "'); DROP TABLE deployments; --",
          "\"}, \"evil\": {\"",
          "\"]}",
          "json.loads(",
          "\n__import__('os').system('id')\n",
          "</script>",
          "--",
          "/*",
          "*/",
          ";",
          "..",
          "/",
          "😀",
          "𝕏",
          "中文",
          "é",
          "ǅ",
          "ａ");

  private static final List<String> WORDS =
      List.of(
          "churn",
          "crm",
          "ana",
          "nightly",
          "None",
          "True",
          "import",
          "exec",
          "eval",
          "os",
          "select",
          "DROP",
          "__import__",
          "__builtins__",
          "json",
          "DAG",
          "null",
          "lambda");

  /** Ordinary text: words, digits and spaces. */
  public static Arbitrary<String> ordinary() {
    return Arbitraries.oneOf(
        Arbitraries.of(WORDS),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10),
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(5),
        Arbitraries.of(" ", "  ", "-", "_", ".", ", "));
  }

  /** Any UTF-16 text without lone surrogates (which UTF-8 on the wire cannot carry). */
  public static Arbitrary<String> anyText() {
    return Arbitraries.strings()
        .withCharRange('\u0000', '\ud7ff')
        .withCharRange('\ue000', '\uffff')
        .ofMinLength(1)
        .ofMaxLength(6);
  }

  /**
   * Free text of at most {@code max} UTF-16 units (and at least 1): hostile fragments mixed with
   * ordinary text; 1 in 20 is empty or longer than {@code max}, which the contract refuses.
   */
  public static Arbitrary<String> freeText(int max) {
    Arbitrary<String> piece =
        Arbitraries.frequencyOf(
            Tuple.of(5, Arbitraries.of(FRAGMENTS)),
            Tuple.of(4, ordinary()),
            Tuple.of(2, anyText()));
    Arbitrary<String> text =
        piece.list().ofMinSize(1).ofMaxSize(10).map(parts -> fit(String.join("", parts), max));
    Arbitrary<String> outOfRange =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            text.map(t -> t + "x".repeat(max + 1 - Math.min(max, t.length()))));
    return Arbitraries.frequencyOf(Tuple.of(19, text), Tuple.of(1, outOfRange));
  }

  /** Cuts {@code text} to at most {@code max} UTF-16 units without splitting a surrogate pair. */
  public static String fit(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max;
    if (Character.isLowSurrogate(text.charAt(end)) && end > 0) {
      end--;
    }
    return text.substring(0, end);
  }

  /**
   * Whether the server takes {@code text} for a field of 1 to {@code max} characters: counted as
   * the contract counts them, and without a NUL, which no text may have (PostgreSQL cannot store
   * it).
   */
  public static boolean fitsLength(String text, int max) {
    return !text.isEmpty() && text.length() <= max && text.indexOf('\0') < 0;
  }

  /** A valid identifier: 1 to 128 characters, sometimes a Python or SQL word. */
  public static Arbitrary<String> validIdentifier() {
    Arbitrary<String> generated =
        Combinators.combine(
                Arbitraries.chars().range('a', 'z').range('A', 'Z').with('_'),
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .withCharRange('A', 'Z')
                    .withCharRange('0', '9')
                    .withChars('_')
                    .ofMaxLength(127))
            .as((first, rest) -> first + rest);
    return Arbitraries.frequencyOf(
        Tuple.of(6, generated),
        Tuple.of(
            2,
            Arbitraries.of(
                "None", "True", "import", "__import__", "exec", "select", "DROP", "_", "dag")),
        Tuple.of(1, Arbitraries.just("x".repeat(128))));
  }

  /**
   * An identifier that is invalid 7 times in 10: a valid one with a hostile fragment inserted, a
   * leading digit, 129 characters, a trailing newline, surrounding spaces, a non-ASCII letter,
   * empty, or free text.
   */
  public static Arbitrary<String> mostlyInvalidIdentifier() {
    Arbitrary<String> valid = validIdentifier();
    Arbitrary<String> invalid =
        Arbitraries.oneOf(
            insertFragment(valid),
            valid.map(v -> Character.forDigit(v.length() % 10, 10) + v),
            Arbitraries.just("a".repeat(129)),
            valid.map(v -> v + "\n"),
            valid.map(v -> " " + v),
            valid.map(v -> v + " "),
            valid.map(v -> fit(v, 127) + "é"),
            Arbitraries.of("", "1abc", "a-b", "a.b", "a b", "ａbc", "ǅ", "a\u0000"),
            freeText(200));
    return Arbitraries.frequencyOf(Tuple.of(7, invalid), Tuple.of(3, valid));
  }

  /** A valid training source table: 1 to 3 valid identifiers joined by dots. */
  public static Arbitrary<String> validTable() {
    return validIdentifier()
        .map(v -> fit(v, 20))
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(parts -> String.join(".", parts));
  }

  /** A training source table that is invalid 7 times in 10. */
  public static Arbitrary<String> mostlyInvalidTable() {
    Arbitrary<String> invalid =
        Arbitraries.oneOf(
            insertFragment(validTable()),
            validTable().map(t -> t + "."),
            validTable().map(t -> "." + t),
            validTable().map(t -> t.replace(".", "..")),
            Arbitraries.of("a.b.c.d", "crm.customers;", "crm.customers\n", "crm .customers"),
            mostlyInvalidIdentifier().map(i -> "crm." + i));
    return Arbitraries.frequencyOf(Tuple.of(7, invalid), Tuple.of(3, validTable()));
  }

  /** A valid DNS-1123 label of 1 to 63 characters. */
  public static Arbitrary<String> validDnsLabel() {
    Arbitrary<Character> edge = Arbitraries.chars().range('a', 'z').range('0', '9');
    Arbitrary<String> middle =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('0', '9')
            .withChars('-')
            .ofMaxLength(61);
    return Arbitraries.frequencyOf(
        Tuple.of(1, edge.map(String::valueOf)),
        Tuple.of(9, Combinators.combine(edge, middle, edge).as((a, m, b) -> a + m + b)));
  }

  /** A deployment name that is invalid 7 times in 10. */
  public static Arbitrary<String> mostlyInvalidDnsLabel() {
    Arbitrary<String> invalid =
        Arbitraries.oneOf(
            insertFragment(validDnsLabel()),
            validDnsLabel().map(n -> "-" + n),
            validDnsLabel().map(n -> n + "-"),
            validDnsLabel().map(n -> n.toUpperCase(java.util.Locale.ROOT) + "A"),
            validDnsLabel().map(n -> n + "\n"),
            Arbitraries.just("a".repeat(64)),
            Arbitraries.of("", "a_b", "a.b", "é", "nightly churn"),
            freeText(63));
    return Arbitraries.frequencyOf(Tuple.of(7, invalid), Tuple.of(3, validDnsLabel()));
  }

  /** {@code valid} with one hostile fragment inserted at a random position. */
  private static Arbitrary<String> insertFragment(Arbitrary<String> valid) {
    return Combinators.combine(
            valid, Arbitraries.of(FRAGMENTS), Arbitraries.integers().between(0, 1000))
        .as(
            (v, fragment, at) -> {
              int position = at % (v.length() + 1);
              return v.substring(0, position) + fragment + v.substring(position);
            });
  }
}
