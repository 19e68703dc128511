package io.switchboard.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The examples of a Markdown file that are marked for the executable-docs test: a fenced block
 * right after a {@code <!-- doc-test -->} line runs ({@code sh} with bash, {@code js} with node);
 * one right after {@code <!-- doc-test output -->} is output the run block before it must print.
 */
record DocBlocks(Path file, List<Block> blocks) {
    static final String RUN = "<!-- doc-test -->";
    static final String OUTPUT = "<!-- doc-test output -->";

    /** One fenced block: its language ({@code sh}, {@code js}, ...), first line number, text. */
    record Block(String lang, int line, String text, boolean output) {
        String where(Path file) {
            return file.getFileName() + ":" + line;
        }

        /**
         * Expected output in a shell block: comment lines {@code # {...}} right under a command.
         * {@code ...} in them stands for anything.
         */
        List<String> expectedInComments() {
            List<String> out = new ArrayList<>();
            for (String l : text.split("\n")) {
                String t = l.strip();
                if (t.startsWith("# {") || t.startsWith("# [")) {
                    out.add(t.substring(2));
                }
            }
            return out;
        }
    }

    static DocBlocks read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String marker = lines.get(i).strip();
            if ((marker.equals(RUN) || marker.equals(OUTPUT)) && i + 1 < lines.size() && lines.get(i + 1).startsWith("```")) {
                String lang = lines.get(i + 1).substring(3).strip();
                StringBuilder text = new StringBuilder();
                int j = i + 2;
                while (j < lines.size() && !lines.get(j).startsWith("```")) {
                    text.append(lines.get(j)).append('\n');
                    j++;
                }
                blocks.add(new Block(lang, i + 3, text.toString(), marker.equals(OUTPUT)));
                i = j;
            } else if (marker.startsWith("<!-- doc-test")) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": a doc-test marker must be right above a fence");
            }
        }
        return new DocBlocks(file, blocks);
    }

    /** A line of expected output as a regex: literal text, {@code ...} matches anything. */
    static Pattern expected(String line) {
        String[] parts = line.strip().split("\\.\\.\\.", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*?");
            }
            re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString());
    }
}
