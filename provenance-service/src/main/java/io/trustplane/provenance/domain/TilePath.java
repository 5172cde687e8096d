package io.trustplane.provenance.domain;

/**
 * A C2SP tlog-tiles path below {@code tile/}: {@code <L>/<N>[.p/<W>]} for hash tiles, {@code entries/<N>[.p/<W>]}
 * for entry bundles. {@code N} is written in groups of three digits, all but the last prefixed with {@code x}
 * (1234067 is {@code x001/x234/067}); a partial tile names its width {@code W} (1..255). Only the canonical
 * spelling parses, so one tile has exactly one URL (and one cache entry).
 *
 * @param level the tile level, or -1 for an entry bundle
 * @param index the tile index {@code N} within its level
 * @param width 256 for a full tile, else the partial width
 */
public record TilePath(int level, long index, int width) {

    public static final int WIDTH = 256;
    public static final int MAX_LEVEL = 63;

    public boolean isEntries() {
        return level < 0;
    }

    public boolean isFull() {
        return width == WIDTH;
    }

    /** Parses the path after {@code tile/}; throws IllegalArgumentException naming what is wrong. */
    public static TilePath parse(String path) {
        String[] parts = path.split("/", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("must be <L>/<N>[.p/<W>] or entries/<N>[.p/<W>]");
        }
        int level = parts[0].equals("entries") ? -1 : level(parts[0]);
        int end = parts.length;
        int width = WIDTH;
        if (parts[end - 2].endsWith(".p")) {
            width = width(parts[end - 1]);
            parts[end - 2] = parts[end - 2].substring(0, parts[end - 2].length() - 2);
            end--;
        }
        long index = 0;
        for (int i = 1; i < end; i++) {
            String group = parts[i];
            boolean last = i == end - 1;
            if (!last) {
                if (!group.startsWith("x")) {
                    throw new IllegalArgumentException("index groups before the last start with 'x': " + group);
                }
                group = group.substring(1);
            }
            if (group.length() != 3 || !group.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("index groups have three digits: " + parts[i]);
            }
            if (i == 1 && !last && group.equals("000")) {
                throw new IllegalArgumentException("index has a leading zero group");
            }
            if (index > (Long.MAX_VALUE - 999) / 1000) {
                throw new IllegalArgumentException("index too large");
            }
            index = index * 1000 + Integer.parseInt(group);
        }
        return new TilePath(level, index, width);
    }

    /** The canonical path after {@code tile/}. */
    public String path() {
        StringBuilder n = new StringBuilder();
        String digits = Long.toString(index);
        int pad = (3 - digits.length() % 3) % 3;
        digits = "0".repeat(pad) + digits;
        for (int i = 0; i < digits.length(); i += 3) {
            if (i > 0) {
                n.append('/');
            }
            if (i + 3 < digits.length()) {
                n.append('x');
            }
            n.append(digits, i, i + 3);
        }
        return (isEntries() ? "entries" : Integer.toString(level)) + "/" + n + (isFull() ? "" : ".p/" + width);
    }

    private static int level(String s) {
        if (!s.matches("0|[1-9][0-9]?") || Integer.parseInt(s) > MAX_LEVEL) {
            throw new IllegalArgumentException("level must be 0..63 or 'entries': " + s);
        }
        return Integer.parseInt(s);
    }

    private static int width(String s) {
        if (!s.matches("[1-9][0-9]{0,2}") || Integer.parseInt(s) >= WIDTH) {
            throw new IllegalArgumentException("partial width must be 1..255: " + s);
        }
        return Integer.parseInt(s);
    }
}
