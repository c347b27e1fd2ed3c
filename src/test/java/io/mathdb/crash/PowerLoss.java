package io.mathdb.crash;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * What a power cut would have left of the log after a child that journalled through {@link RecordingWalFiles} died:
 * each segment the child created is cut back to its length at its last completed fsync (or, with a {@link Random},
 * to that plus a random part of the unsynced bytes, as when some pages reached the disk on their own), and a segment
 * created after the last directory fsync is gone. Segments from earlier runs were fsynced by recovery and stay whole.
 */
final class PowerLoss {
    private PowerLoss() {
    }

    /** Applies the loss to {@code walDir}; returns what it did, for failure messages. */
    static String cut(Path walDir, Path journal, Random partly) throws IOException {
        Map<String, Long> forced = new HashMap<>();
        Set<String> created = new LinkedHashSet<>();
        Set<String> named = new LinkedHashSet<>();
        Set<String> unnamed = new LinkedHashSet<>();
        String text = Files.exists(journal) ? Files.readString(journal, StandardCharsets.UTF_8) : "";
        // A line the kill cut short has no newline: it never happened.
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            String[] word = line.split(" ");
            switch (word[0]) {
                case "create" -> {
                    created.add(word[1]);
                    forced.put(word[1], 0L);
                    if (!named.contains(word[1])) {
                        unnamed.add(word[1]);
                    }
                }
                case "force" -> forced.put(word[1], Long.parseLong(word[2]));
                case "dirsync" -> {
                    named.addAll(unnamed);
                    unnamed.clear();
                }
                case "delete", "" -> {
                }
                default -> throw new IllegalStateException("journal line " + line);
            }
        }
        StringBuilder done = new StringBuilder();
        for (String name : created) {
            Path file = walDir.resolve(name);
            if (!Files.exists(file)) {
                continue;
            }
            long size = Files.size(file);
            if (!named.contains(name)) {
                Files.delete(file);
                done.append(name).append(": deleted (").append(size).append(" bytes, name never fsynced); ");
                continue;
            }
            long keep = forced.get(name);
            if (partly != null && size > keep) {
                keep += partly.nextLong(size - keep + 1);
            }
            if (keep < size) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(keep);
                }
            }
            done.append(name).append(": ").append(size).append(" -> ").append(keep).append(" bytes (fsynced ")
                    .append(forced.get(name)).append("); ");
        }
        return done.toString();
    }
}
