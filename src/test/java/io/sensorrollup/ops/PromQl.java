package io.sensorrollup.ops;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression selects: its identifiers that are neither functions, keywords nor labels. */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern LABEL_LISTS = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    // possessive, so that a function's name is not matched in part before its "("
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");

    private PromQl() {
    }

    static Set<String> metricNames(String expr) {
        String selectors = STRING.matcher(expr).replaceAll("\"\"")
                .replaceAll("\\{[^}]*}", " ") // label matchers
                .replaceAll("\\[[^]]*]", " "); // ranges
        Matcher m = IDENTIFIER.matcher(LABEL_LISTS.matcher(selectors).replaceAll(" "));
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            if (!KEYWORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
