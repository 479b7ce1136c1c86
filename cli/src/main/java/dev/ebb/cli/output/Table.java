package dev.ebb.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Rows under upper-case headings, each column as wide as its widest cell, two spaces apart; a missing value is {@code -}. */
public final class Table {

    private final List<String> headings;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> headings) {
        this.headings = headings;
    }

    public static Table of(String... headings) {
        return new Table(Arrays.asList(headings));
    }

    public Table row(Object... cells) {
        if (cells.length != headings.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headings.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            String text = cell == null ? "" : String.valueOf(cell);
            row.add(text.isEmpty() ? "-" : text.replace('\n', ' '));
        }
        rows.add(row);
        return this;
    }

    public String render() {
        int[] widths = new int[headings.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headings.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headings, widths);
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(cells.get(i));
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cells.get(i).length() + 2));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
