package io.switchboard.server.http;

import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Finds the file a {@link StaticPaths.Target} names under the static root, with blocking file
 * system calls (run it off the event loop). The real path (symlinks resolved) must stay inside
 * the root and name no dotfile; only regular files up to {@code maxFileBytes} are opened, with
 * {@code NOFOLLOW_LINKS} so a link swapped in after the check is not followed. A directory
 * requested without its trailing slash is a {@link Found#redirect}.
 */
final class StaticFiles {
    /** The file served for a directory. */
    static final String INDEX = "index.html";

    /** An opened file (the caller closes {@code channel}), or a redirect to the directory's slash form. */
    record Found(FileChannel channel, long size, long modifiedMs, String name, boolean redirect) {
        static final Found REDIRECT = new Found(null, 0, 0, null, true);

        /** Strong validator of this version: modification time and size. */
        String etag() {
            return "\"" + Long.toHexString(modifiedMs) + "-" + Long.toHexString(size) + "\"";
        }
    }

    private final Path root;
    private final long maxFileBytes;

    StaticFiles(Path realRoot, long maxFileBytes) {
        this.root = realRoot;
        this.maxFileBytes = maxFileBytes;
    }

    Found open(StaticPaths.Target t) {
        try {
            Path p = root;
            for (String seg : t.segments()) {
                p = p.resolve(seg);
            }
            if (t.directory()) {
                p = p.resolve(INDEX);
            }
            Path real = p.toRealPath();
            if (!real.startsWith(root) || hidden(root.relativize(real))) {
                throw notFound();
            }
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory() && !t.directory()) {
                return Found.REDIRECT;
            }
            if (!a.isRegularFile()) {
                throw notFound();
            }
            FileChannel ch = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            long size = ch.size();
            if (size > maxFileBytes) {
                ch.close();
                throw new SwitchboardException(ErrorCode.PAYLOAD_TOO_LARGE, "the file is larger than http.static.maxFileBytes ("
                        + maxFileBytes + " bytes)");
            }
            return new Found(ch, size, a.lastModifiedTime().toMillis(), real.getFileName().toString(), false);
        } catch (NoSuchFileException e) {
            throw notFound();
        } catch (IOException | SecurityException | java.nio.file.InvalidPathException e) {
            // Unreadable (permissions), a loop of links, a name the file system refuses: nothing to serve.
            throw notFound();
        }
    }

    private static boolean hidden(Path relative) {
        for (Path seg : relative) {
            if (seg.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static SwitchboardException notFound() {
        return SwitchboardException.notFound("no file at this path");
    }
}
