package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Holds docs/configuration.md to the key table: a key added, changed or removed without the page fails here. */
class ConfigurationDocTest {
    private static final Path DOC = Path.of("docs/configuration.md");
    private static final String FIX = "; run 'berth config keys --markdown' and copy its tables into " + DOC;

    private static List<String> docLines() throws IOException {
        return Files.readAllLines(DOC);
    }

    /** The lines of the "Every key" section: from its heading to the next second-level heading. */
    private static List<String> keySection() throws IOException {
        List<String> lines = docLines();
        int start = lines.indexOf("## Every key");
        assertThat(start).as("a '## Every key' section in " + DOC).isNotNegative();
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).startsWith("## ")) {
            end++;
        }
        return lines.subList(start, end);
    }

    @Test
    void everyKeyAndSwitchedSectionHasItsGeneratedRow() throws IOException {
        List<String> section = keySection();
        for (ConfigKey key : Stream.concat(ConfigKeys.ALL.stream(), ConfigKeys.SWITCHED_SECTIONS.stream()).toList()) {
            assertThat(section).as("the row of " + key.path() + FIX).contains(ConfigKeyTable.row(key));
        }
    }

    @Test
    void everyRowIsOfAKeyBerthKnows() throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : keySection()) {
            if (line.startsWith("| `")) {
                rows.add(line);
            }
        }
        List<String> generated = Stream.concat(ConfigKeys.ALL.stream(), ConfigKeys.SWITCHED_SECTIONS.stream())
                .map(ConfigKeyTable::row).toList();
        assertThat(rows).as("rows that no key generates" + FIX).allMatch(generated::contains);
    }

    @Test
    void theKeysAreGroupedByTheirSectionsInTheTablesOrder() throws IOException {
        List<String> headings = keySection().stream().filter(line -> line.startsWith("### "))
                .map(line -> line.substring(4)).toList();
        assertThat(headings).as("the ### headings of '## Every key'" + FIX)
                .containsExactlyElementsOf(ConfigKeyTable.sections().keySet());
    }

    @Test
    void thePageLinksTheExampleFileAndTheReadmeLinksThePage() throws IOException {
        assertThat(String.join("\n", docLines())).contains("](berth.example.yaml)");
        assertThat(Path.of("docs/berth.example.yaml")).isRegularFile();
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("](docs/configuration.md)").contains("berth config check");
    }
}
