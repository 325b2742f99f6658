package dev.berth.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** Reads a YAML configuration file into settings, each marked with the file and line it came from. */
final class ConfigFile {
    private final String name;
    private final List<Setting> settings;
    private final List<String> problems;
    /** Line of each path set so far, across the whole file: "storage.driver:" may also be written nested. */
    private final Map<String, Integer> seen = new HashMap<>();

    private ConfigFile(String name, List<Setting> settings, List<String> problems) {
        this.name = name;
        this.settings = settings;
        this.problems = problems;
    }

    /**
     * Adds the file's settings to {@code settings} and anything wrong with its shape (unknown keys, a list
     * where a map belongs) to {@code problems}; a file that cannot be read or parsed at all is thrown.
     */
    static void read(Path file, List<Setting> settings, List<String> problems) throws ConfigException {
        String name = file.toString();
        Optional<Node> root;
        // The node tree rather than Java objects: nodes keep their line numbers, and scalars keep the text as
        // written, so "4MiB", "off" and "true" reach the key parsers unchanged by YAML's type guessing.
        // The core schema, YAML 1.2's usual one, so that "~" is null as most YAML writers expect.
        LoadSettings yaml = LoadSettings.builder().setLabel(name).setSchema(new CoreSchema()).build();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Compose(yaml).composeReader(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": no such configuration file");
        } catch (CharacterCodingException e) {
            throw new ConfigException(name + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read: " + e.getMessage());
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            String where = mark.map(m -> name + ":" + (m.getLine() + 1)).orElse(name);
            String context = e.getContext() == null || e.getContext().isBlank()
                    ? ""
                    : " (" + e.getContext() + ")";
            throw new ConfigException(where + ": YAML syntax error: " + e.getProblem() + context);
        } catch (YamlEngineException e) {
            // The YAML reader wraps failures of the file itself, such as bytes that are not UTF-8.
            throw new ConfigException(name + switch (e.getCause()) {
                case CharacterCodingException c -> ": not UTF-8 text";
                case IOException io -> ": cannot read: " + io.getMessage();
                case null, default -> ": YAML error: " + e.getMessage();
            });
        }
        if (root.isEmpty() || isNull(root.get())) {
            return; // an empty file, or one holding only comments, configures nothing
        }
        ConfigFile reading = new ConfigFile(name, settings, problems);
        if (root.get() instanceof MappingNode map) {
            reading.walk("", map);
        } else {
            problems.add(reading.at(root.get()) + ": expected keys such as 'listen: localhost:5000' at the top,"
                    + " found " + describe(root.get()));
        }
    }

    /** Reads one map's entries as keys under {@code section}; a key may itself be dotted, as messages write it. */
    private void walk(String section, MappingNode map) {
        for (NodeTuple entry : map.getValue()) {
            Node keyNode = entry.getKeyNode();
            Node valueNode = entry.getValueNode();
            if (!(keyNode instanceof ScalarNode scalarKey) || isNull(keyNode)) {
                problems.add(at(keyNode) + ": a key must be a plain name, found " + describe(keyNode));
                continue;
            }
            String path = section.isEmpty() ? scalarKey.getValue() : section + "." + scalarKey.getValue();
            Integer firstLine = seen.putIfAbsent(path, line(keyNode));
            if (firstLine != null) {
                problems.add(at(keyNode) + ": " + path + " is given twice (first on line " + firstLine + ")");
            } else if (ConfigKeys.find(path).isPresent()) {
                if (valueNode instanceof ScalarNode value) {
                    // "key:" with nothing after it, or "~", is YAML's null; read as empty text, which keys such
                    // as public-url accept and the others reject by name.
                    settings.add(new Setting(path, isNull(value) ? "" : value.getValue(), at(keyNode)));
                } else if ((valueNode instanceof SequenceNode || valueNode instanceof MappingNode)
                        && ConfigKeys.LIST_KEYS.contains(path)) {
                    // A list (or map) reaches its key as YAML flow text, the same form the environment writes it in.
                    settings.add(new Setting(path, flowText(valueNode), at(keyNode)));
                } else {
                    problems.add(at(keyNode) + ": " + path + ": expected a single value, found "
                            + describe(valueNode));
                }
            } else if (ConfigKeys.isSection(path)) {
                if (ConfigKeys.findSection(path).isPresent()
                        && (valueNode instanceof MappingNode || isNull(valueNode))) {
                    // "auth: {}" or "auth:" alone still means something: the section is there, so it is on.
                    settings.add(new Setting(path, "", at(keyNode)));
                }
                if (valueNode instanceof MappingNode inner) {
                    walk(path, inner);
                } else if (!isNull(valueNode)) { // an empty section, all of it commented out, is fine
                    problems.add(at(keyNode) + ": " + path + ": expected a map of keys, found "
                            + describe(valueNode));
                }
            } else {
                problems.add(at(keyNode) + ": unknown key '" + path + "'"
                        + ConfigKeys.didYouMean(path, ConfigKeys.fileNames()));
            }
        }
    }

    /** The node as YAML flow text with every scalar double-quoted, so its text survives as written. */
    static String flowText(Node node) {
        return switch (node) {
            case SequenceNode seq -> seq.getValue().stream().map(ConfigFile::flowText)
                    .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
            case MappingNode map -> map.getValue().stream()
                    .map(t -> flowText(t.getKeyNode()) + ": " + flowText(t.getValueNode()))
                    .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
            case ScalarNode scalar -> isNull(scalar) ? "null" : quoted(scalar.getValue());
            default -> "null";
        };
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private String at(Node node) {
        return name + ":" + line(node);
    }

    /** One-based, as editors number lines. */
    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static String describe(Node node) {
        return switch (node) {
            case MappingNode m -> "a map";
            case SequenceNode s -> "a list";
            case ScalarNode s -> "the value '" + s.getValue() + "'";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
