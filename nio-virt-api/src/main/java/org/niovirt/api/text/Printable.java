package org.niovirt.api.text;

/**
 * Makes text from a host tree or a user safe to print: control characters (C0, DEL, C1) and the
 * Unicode controls that reorder or hide text become visible escapes such as {@code \x1b}, so a
 * netdev name in a captured tree can never drive the terminal it is printed on.
 */
public final class Printable {
  private Printable() {}

  /** {@code text} with every unprintable character escaped; a backslash is doubled only when it could mislead. */
  public static String escape(String text) {
    if (text == null) {
      return "null";
    }
    if (isPrintable(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 8);
    text.codePoints().forEach(c -> {
      if (c == '\\') {
        out.append("\\\\");
      } else if (unprintable(c)) {
        out.append(c <= 0xff ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  /** Like {@link #escape} for each line of a multi-line text: the line breaks stay. */
  public static String escapeLines(String text) {
    if (isPrintable(text.replace("\n", ""))) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    int start = 0;
    for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      out.append(escape(text.substring(start, end))).append('\n');
      start = end + 1;
    }
    return out.append(escape(text.substring(start))).toString();
  }

  /** True when {@code text} holds nothing that {@link #escape} would change. */
  public static boolean isPrintable(String text) {
    return text.codePoints().noneMatch(Printable::unprintable);
  }

  private static boolean unprintable(int c) {
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)
        || c == 0x061c || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff || Character.getType(c) == Character.UNASSIGNED
        || Character.getType(c) == Character.SURROGATE;
  }
}
