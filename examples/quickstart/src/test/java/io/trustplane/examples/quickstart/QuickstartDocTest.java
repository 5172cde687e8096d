package io.trustplane.examples.quickstart;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java snippets of docs/quickstart.md are the example's compiled source: each {@code <!-- snippet: tag -->} block
 * equals the region between {@code // tag::tag[]} and {@code // end::tag[]} in Quickstart.java (common indentation
 * removed), and every region is shown.
 */
class QuickstartDocTest {

    static final Path DOC = QuickstartSuite.ROOT.resolve("docs/quickstart.md");
    static final Path SOURCE = Path.of("src/main/java/io/trustplane/examples/quickstart/Quickstart.java");

    private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: ([a-z-]+) -->\n```java\n(.*?)```",
            Pattern.DOTALL);
    private static final Pattern REGION = Pattern.compile(
            "(?m)^[ \t]*// tag::([a-z-]+)\\[]\n(.*?)^[ \t]*// end::\\1\\[]\n", Pattern.DOTALL);

    @Test
    void everySnippetIsItsSourceRegionAndEveryRegionIsShown() throws IOException {
        Map<String, String> regions = matches(REGION, Files.readString(SOURCE, StandardCharsets.UTF_8));
        Map<String, String> snippets = matches(SNIPPET, Files.readString(DOC, StandardCharsets.UTF_8));
        assertThat(regions).isNotEmpty();
        assertThat(snippets.keySet()).containsExactlyElementsOf(regions.keySet());
        regions.forEach((tag, code) -> assertThat(snippets.get(tag)).as("snippet '%s' of %s", tag, DOC)
                .isEqualTo(dedent(code)));
    }

    private static Map<String, String> matches(Pattern pattern, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            assertThat(out.put(m.group(1), m.group(2))).as("'%s' appears once", m.group(1)).isNull();
        }
        return out;
    }

    /** The region without the indentation all its non-blank lines share. */
    static String dedent(String code) {
        List<String> lines = code.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n'));
        return sb.toString();
    }
}
