package io.switchboard.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Conditional GET (RFC 9110 section 13): {@code If-None-Match} decides when present (a listed
 * ETag, weak or strong, or {@code *}); otherwise {@code If-Modified-Since} at one-second
 * resolution, as HTTP dates have.
 */
final class StaticConditions {
    private StaticConditions() {
    }

    static boolean notModified(HttpHeaders h, String etag, long modifiedMs) {
        String inm = h.get(HttpHeaderNames.IF_NONE_MATCH);
        if (inm != null) {
            for (String tag : inm.split(",")) {
                String t = tag.trim();
                if (t.startsWith("W/")) {
                    t = t.substring(2);
                }
                if (t.equals("*") || t.equals(etag)) {
                    return true;
                }
            }
            return false;
        }
        String ims = h.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (ims == null) {
            return false;
        }
        try {
            long since = ZonedDateTime.parse(ims.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
            return modifiedMs / 1000 <= since;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** An HTTP date ({@code Tue, 3 Jun 2008 11:05:30 GMT}). */
    static String httpDate(long ms) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(ms).atZone(ZoneOffset.UTC));
    }
}
