package io.switchboard.core.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.InviteModel;

import java.util.ArrayList;
import java.util.List;

/**
 * A channel's state as stored at {@code /_system/channels/{tenant|_}/{id}}: owner, invite model,
 * name and members in the order they joined. A deleted channel stays as a tombstone
 * ({@code deleted}), so its id is never reused while its messages may still be in the log.
 */
public record Channel(String id, String tenant, String name, String owner, InviteModel model, long created,
                      List<String> members, boolean deleted) {
    public Channel {
        members = members == null ? List.of() : List.copyOf(members);
    }

    public boolean isMember(String userId) {
        return members.contains(userId);
    }

    public boolean isOwner(String userId) {
        return owner != null && owner.equals(userId);
    }

    Channel withMember(String userId) {
        List<String> m = new ArrayList<>(members);
        m.add(userId);
        return new Channel(id, tenant, name, owner, model, created, m, false);
    }

    Channel withoutMember(String userId) {
        List<String> m = new ArrayList<>(members);
        m.remove(userId);
        return new Channel(id, tenant, name, owner, model, created, m, false);
    }

    Channel with(String newName, InviteModel newModel) {
        return new Channel(id, tenant, newName == null ? name : newName, owner, newModel == null ? model : newModel,
                created, members, false);
    }

    Channel tombstone() {
        return new Channel(id, tenant, null, owner, model, created, List.of(), true);
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object().put("id", id);
        if (tenant != null) {
            o.put("tenant", tenant);
        }
        if (deleted) {
            return o.put("deleted", true);
        }
        if (name != null) {
            o.put("name", name);
        }
        o.put("owner", owner).put("inviteModel", model.wire()).put("created", created);
        ArrayNode arr = o.putArray("members");
        members.forEach(arr::add);
        return o;
    }

    static Channel fromJson(JsonNode d) {
        String tenant = d.hasNonNull("tenant") ? d.get("tenant").asText() : null;
        if (d.path("deleted").asBoolean(false)) {
            return new Channel(d.path("id").asText(), tenant, null, null, InviteModel.OWNER, 0, List.of(), true);
        }
        List<String> members = new ArrayList<>();
        d.path("members").forEach(m -> members.add(m.asText()));
        return new Channel(d.path("id").asText(), tenant, d.hasNonNull("name") ? d.get("name").asText() : null,
                d.path("owner").asText(), InviteModel.parse(d.path("inviteModel").asText(), "inviteModel"),
                d.path("created").asLong(), members, false);
    }
}
