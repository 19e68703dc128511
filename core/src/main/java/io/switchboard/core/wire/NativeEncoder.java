package io.switchboard.core.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.Event;
import io.switchboard.core.result.DeliveryCounts;
import io.switchboard.core.result.DisconnectReason;
import io.switchboard.core.result.Notice;
import io.switchboard.core.result.Result;
import io.switchboard.core.session.Principal;

import java.util.List;

/**
 * The native protocol's encoding of typed results, notices and errors (the shapes of the
 * WebSocket protocol and the HTTP API, which share them). Every native door — WebSocket, SSE,
 * HTTP, the in-process client — encodes through this one class; adapters have their own.
 */
public final class NativeEncoder {
    private NativeEncoder() {
    }

    /** The {@code result} of a reply (also the body of an HTTP answer). */
    public static JsonNode result(Result r) {
        if (r instanceof Result.DocumentResult d) {
            return d.document().toJson();
        } else if (r instanceof Result.Page p) {
            ObjectNode o = Json.object();
            o.set("items", documents(p.items()));
            o.put("total", p.total());
            return o;
        } else if (r instanceof Result.Written w) {
            ObjectNode o = Json.object().put("path", w.path());
            if (w.meta() != null) {
                o.set("meta", Document.metaJson(w.meta()));
            }
            if (w.offset() != null) {
                o.put("offset", w.offset());
            }
            return counts(o, w.counts());
        } else if (r instanceof Result.Incremented i) {
            ObjectNode o = Json.object().put("path", i.path()).put("field", i.field());
            if (i.value() != null) {
                o.set("value", i.value());
            }
            if (i.meta() != null) {
                o.set("meta", Document.metaJson(i.meta()));
            }
            if (i.offset() != null) {
                o.put("offset", i.offset());
            }
            return counts(o, i.counts());
        } else if (r instanceof Result.Removed rm) {
            return counts(Json.object().put("removed", rm.removed()), rm.counts());
        } else if (r instanceof Result.Published p) {
            return counts(Json.object().put("id", p.id()).put("offset", p.offset()), p.counts());
        } else if (r instanceof Result.Scheduled s) {
            return Json.object().put("id", s.id()).put("at", s.at()).put("scheduled", true);
        } else if (r instanceof Result.Cancelled c) {
            return Json.object().put("id", c.id()).put("cancelled", true);
        } else if (r instanceof Result.Counted c) {
            return Json.object().put("count", c.count());
        } else if (r instanceof Result.Subscribed s) {
            ObjectNode o = Json.object().put("sub", s.sub()).put("epoch", s.epoch()).put("offset", s.offset());
            if (s.recovered() != null) {
                o.put("recovered", s.recovered());
            }
            if (s.items() != null) {
                o.set("items", documents(s.items()));
            }
            return o;
        } else if (r instanceof Result.Unsubscribed u) {
            ObjectNode o = Json.object();
            ArrayNode ids = o.putArray("unsubscribed");
            u.subs().forEach(ids::add);
            return o;
        } else if (r instanceof Result.History h) {
            ObjectNode o = Json.object();
            ArrayNode arr = o.putArray("events");
            for (Event e : h.events()) {
                arr.add(e.toJson(false));
            }
            o.put("epoch", h.epoch());
            o.put("offset", h.offset());
            if (h.more()) {
                o.put("more", true);
            }
            return o;
        } else if (r instanceof Result.RateLimitStatus s) {
            ObjectNode o = Json.object().put("keyedBy", s.keyedBy());
            ObjectNode limits = o.putObject("limits");
            s.limits().forEach((op, st) -> limits.putObject(op).put("limit", st.limit()).put("every", st.everyMs())
                    .put("maxUses", st.maxUses()).put("remaining", st.remaining()).put("retryAfterMs", st.retryAfterMs()));
            return o;
        } else if (r instanceof Result.Acked a) {
            return Json.object().put("acked", a.acked());
        } else if (r instanceof Result.Pong) {
            return TextNode.valueOf("pong");
        } else if (r instanceof Result.Connected c) {
            ObjectNode o = Json.object().put("session", c.session()).put("epoch", c.epoch()).put("offset", c.offset());
            if (c.user() == null) {
                o.putNull("user");
            } else {
                o.set("user", user(c.user()));
            }
            if (c.token() != null) {
                o.put("token", c.token());
            }
            if (c.heartbeatMs() > 0) {
                o.put("heartbeatMs", c.heartbeatMs());
            }
            return o;
        } else if (r instanceof Result.ChannelInfo ci) {
            return channel(ci);
        } else if (r instanceof Result.ChannelList cl) {
            ObjectNode o = Json.object();
            ArrayNode arr = o.putArray("channels");
            cl.channels().forEach(c -> arr.add(channel(c)));
            return o;
        } else if (r instanceof Result.ChannelChanged cc) {
            ObjectNode o = Json.object().put("channel", cc.id());
            if (cc.user() != null) {
                o.put("user", cc.user());
            }
            return o.put("change", cc.change()).put("changed", cc.changed());
        }
        throw new IllegalArgumentException("no native encoding for " + r);
    }

    /** {@code {"channel", "name"?, "owner", "inviteModel", "created", "members"?: [{id, username}]}}. */
    private static ObjectNode channel(Result.ChannelInfo c) {
        ObjectNode o = Json.object().put("channel", c.id());
        if (c.name() != null) {
            o.put("name", c.name());
        }
        o.put("owner", c.owner()).put("inviteModel", c.inviteModel()).put("created", c.created());
        if (c.members() != null) {
            ArrayNode arr = o.putArray("members");
            for (Result.ChannelInfo.Member m : c.members()) {
                ObjectNode mo = arr.addObject().put("id", m.id());
                if (m.username() == null) {
                    mo.putNull("username");
                } else {
                    mo.put("username", m.username());
                }
            }
        }
        return o;
    }

    /** {@code {"id": n, "ok": true, "result": ...}}. */
    public static ObjectNode reply(long requestId, Result r) {
        ObjectNode o = Json.object().put("id", requestId).put("ok", true);
        o.set("result", result(r));
        return o;
    }

    /** {@code {"id": n, "ok": false, "error": {...}}}. */
    public static ObjectNode errorReply(long requestId, SwitchboardException e) {
        ObjectNode o = Json.object().put("id", requestId).put("ok", false);
        o.set("error", error(e));
        return o;
    }

    /** The one error object of the catalogue: {@code {"code","message","retryAfterMs"?}}. */
    public static ObjectNode error(SwitchboardException e) {
        ObjectNode o = Json.object().put("code", e.code().name()).put("message", e.getMessage());
        if (e.retryAfterMs() != null) {
            o.put("retryAfterMs", e.retryAfterMs());
        }
        return o;
    }

    /** {@code {"sys": ...}} for a notice. */
    public static ObjectNode notice(Notice n) {
        if (n instanceof Notice.Published p) {
            ObjectNode o = Json.object().put("sys", "published").put("requestId", p.requestId());
            if (p.offset() != null) {
                o.put("offset", p.offset());
            }
            return counts(o, p.counts());
        } else if (n instanceof Notice.TokenRolled t) {
            return Json.object().put("sys", "token").put("token", t.token());
        } else if (n instanceof Notice.SubscriptionEnded s) {
            ObjectNode o = Json.object().put("sys", "unsubscribed").put("sub", s.sub());
            o.set("error", error(s.error()));
            return o;
        }
        throw new IllegalArgumentException("no native encoding for " + n);
    }

    /** {@code {"sys":"disconnect","reason":...}}. */
    public static ObjectNode disconnect(DisconnectReason reason) {
        return Json.object().put("sys", "disconnect").put("reason", reason.wire());
    }

    /** {@code {id, username, tenant, groups, scopes}}. */
    public static ObjectNode user(Principal p) {
        ObjectNode u = Json.object();
        u.put("id", p.userId());
        u.put("username", p.username());
        if (p.tenant() == null) {
            u.putNull("tenant");
        } else {
            u.put("tenant", p.tenant());
        }
        strings(u.putArray("groups"), p.groups());
        strings(u.putArray("scopes"), p.scopes());
        return u;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    private static ArrayNode documents(List<Document> docs) {
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (Document d : docs) {
            items.add(d.toJson());
        }
        return items;
    }

    private static ObjectNode counts(ObjectNode o, DeliveryCounts c) {
        if (c != null) {
            o.put("queued", c.queued()).put("delivered", c.delivered())
                    .put("acknowledged", c.acknowledged()).put("failed", c.failed());
        }
        return o;
    }
}
