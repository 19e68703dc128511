package io.switchboard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;

/** A JSON value stored at a path. {@code data} is null in paths-only query results. */
public record Document(String path, JsonNode data, DocMeta meta) {

    /** The wire shape {@code {path, data, meta: {created, modified, version, modifiedBy?}}}. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("path", path);
        if (data != null) {
            o.set("data", data);
        }
        if (meta != null) {
            o.set("meta", metaJson(meta));
        }
        return o;
    }

    public static ObjectNode metaJson(DocMeta meta) {
        ObjectNode m = Json.object();
        m.put("created", meta.created());
        m.put("modified", meta.modified());
        m.put("version", meta.version());
        if (meta.modifiedBy() != null) {
            m.put("modifiedBy", meta.modifiedBy());
        }
        return m;
    }
}
