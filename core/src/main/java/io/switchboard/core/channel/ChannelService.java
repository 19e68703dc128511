package io.switchboard.core.channel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.engine.Engine;
import io.switchboard.core.engine.Ids;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.Document;
import io.switchboard.core.model.InviteModel;
import io.switchboard.core.op.ChannelCommand;
import io.switchboard.core.pipeline.Pipeline;
import io.switchboard.core.pipeline.Slot;
import io.switchboard.core.result.Result;
import io.switchboard.core.security.ChannelMemberships;
import io.switchboard.core.security.SecurityService;
import io.switchboard.core.security.User;
import io.switchboard.core.session.Principal;
import io.switchboard.core.store.WriteOp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Channels (owner, invite model, members) as a native feature. State is one document per
 * channel under {@code /_system/channels/}, written with {@code ifVersion} so concurrent changes
 * on any node never lose a member (a lost race is retried on the fresh document); every
 * membership change is then published as an event on the channel's {@code members} path, in
 * the one event log next to the channel's messages ({@code /_channels/{id}/...}).
 *
 * <p>Who may do what: anyone signed in creates; the owner updates, deletes and removes
 * members; invites follow the invite model ({@code owner}: the owner, {@code member}: any
 * member, {@code self}: any member, and anyone may join by themselves); a member leaves (the
 * owner cannot); only members see a channel's details. Message access is not checked here: the
 * security model derives it from membership ({@link ChannelMemberships}).
 */
public final class ChannelService {
    private static final int MAX_ATTEMPTS = 8;

    private final Engine engine;
    private final ChannelDirectory dir;
    private final Function<String, User> users;
    private final ChannelLimits limits;

    ChannelService(Engine engine, ChannelDirectory dir, Function<String, User> users, ChannelLimits limits) {
        this.engine = engine;
        this.dir = dir;
        this.users = users;
        this.limits = limits;
    }

    /**
     * Loads the channels, follows their changes from every node and makes them the security
     * model's membership source. Call after {@code engine.start()} and {@code security.start()}.
     */
    public static ChannelService start(Engine engine, SecurityService security, ChannelLimits limits) {
        ChannelDirectory dir = new ChannelDirectory();
        engine.observeCommits(ChannelDirectory.ROOT, dir::apply);
        dir.load(engine.store());
        security.memberships(dir);
        return new ChannelService(engine, dir, security.directory()::user, limits);
    }

    /** Adds the channel stage (it answers the channel ops) after the authorization stage. */
    public Pipeline.Builder install(Pipeline.Builder b) {
        return b.add(Slot.AUTHORIZE, new ChannelStage(this));
    }

    public ChannelDirectory directory() {
        return dir;
    }

    /** Runs one channel op for {@code p} (a signed-in user). */
    public CompletableFuture<Result> run(Principal p, ChannelCommand c) {
        try {
            if (c instanceof ChannelCommand.Create cr) {
                return create(p, cr);
            } else if (c instanceof ChannelCommand.ListMine) {
                return CompletableFuture.completedFuture(list(p));
            } else if (c instanceof ChannelCommand.Get g) {
                return CompletableFuture.completedFuture(get(p, g.id()));
            }
            return mutate(p, c, 1);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(SwitchboardException.of(e));
        }
    }

    private CompletableFuture<Result> create(Principal p, ChannelCommand.Create c) {
        checkName(c.name());
        checkRoom(p.tenant(), p.userId());
        String id = c.id() != null ? c.id() : Ids.random(16);
        Channel ch = new Channel(id, p.tenant(), c.name(), p.userId(), c.model() == null ? InviteModel.OWNER : c.model(),
                engine.now(), List.of(p.userId()), false);
        WriteOp op = new WriteOp.Set(ChannelDirectory.path(p.tenant(), id), ch.toJson(), false, 0L, null,
                p.actor(), false, false, engine.now());
        return engine.write(op).handle((w, err) -> {
            if (err != null) {
                SwitchboardException se = SwitchboardException.of(err);
                throw se.code() == ErrorCode.CONFLICT ? SwitchboardException.conflict("channel '" + id + "' exists") : se;
            }
            return ch;
        }).thenCompose(x -> event(p, id, "joined", p.userId())).thenApply(x -> info(ch, false));
    }

    /** What one change does to a channel: the next state (same object: nothing to do) and the reply. */
    private record Change(Channel next, String event, String user) { }

    private CompletableFuture<Result> mutate(Principal p, ChannelCommand c, int attempt) {
        String id = idOf(c);
        String path = ChannelDirectory.path(p.tenant(), id);
        return engine.store().get(path).thenCompose((Optional<Document> doc) -> {
            Channel ch = doc.map(d -> Channel.fromJson(d.data())).filter(x -> !x.deleted())
                    .orElseThrow(() -> notFound(id));
            Change change = decide(p, ch, c);
            if (change.next == ch) {
                return CompletableFuture.completedFuture(reply(c, ch, change, false));
            }
            WriteOp op = new WriteOp.Set(path, change.next.toJson(), false, doc.get().meta().version(), null,
                    p.actor(), false, false, engine.now());
            return engine.write(op).handle((w, err) -> err).thenCompose(err -> {
                if (err == null) {
                    return event(p, id, change.event, change.user).thenApply(x -> reply(c, change.next, change, true));
                }
                SwitchboardException se = SwitchboardException.of(err);
                if (se.code() == ErrorCode.CONFLICT && attempt < MAX_ATTEMPTS) {
                    return mutate(p, c, attempt + 1); // another writer won: decide again on its state
                }
                return CompletableFuture.failedFuture(se);
            });
        });
    }

    private Change decide(Principal p, Channel ch, ChannelCommand c) {
        String me = p.userId();
        if (c instanceof ChannelCommand.Update u) {
            requireOwner(ch, me);
            checkName(u.name());
            return new Change(ch.with(u.name(), u.model()), "updated", null);
        } else if (c instanceof ChannelCommand.Delete) {
            requireOwner(ch, me);
            return new Change(ch.tombstone(), "deleted", null);
        } else if (c instanceof ChannelCommand.Invite inv) {
            boolean allowed = switch (ch.model()) {
                case OWNER -> ch.isOwner(me);
                case MEMBER -> ch.isMember(me);
                case SELF -> ch.isMember(me) || inv.user().equals(me);
            };
            if (!allowed) {
                throw forbidden("the channel's invite model (" + ch.model().wire() + ") does not let you invite");
            }
            User u = users.apply(inv.user());
            if (u == null || !java.util.Objects.equals(u.tenant(), p.tenant())) {
                throw SwitchboardException.notFound("user '" + inv.user() + "'");
            }
            return add(ch, inv.user(), inv.user().equals(me) ? "joined" : "invited", p.tenant());
        } else if (c instanceof ChannelCommand.Join) {
            if (ch.isMember(me)) {
                return new Change(ch, "joined", me);
            }
            if (ch.model() != InviteModel.SELF) {
                throw forbidden("only a channel with invite model self can be joined; ask for an invite");
            }
            return add(ch, me, "joined", p.tenant());
        } else if (c instanceof ChannelCommand.Leave) {
            if (!ch.isMember(me)) {
                throw forbidden("not a member");
            }
            if (ch.isOwner(me)) {
                throw SwitchboardException.conflict("the owner cannot leave; delete the channel instead");
            }
            return new Change(ch.withoutMember(me), "left", me);
        } else if (c instanceof ChannelCommand.RemoveMember rm) {
            requireOwner(ch, me);
            if (rm.user().equals(me)) {
                throw SwitchboardException.conflict("the owner cannot be removed; delete the channel instead");
            }
            if (!ch.isMember(rm.user())) {
                return new Change(ch, "removed", rm.user());
            }
            return new Change(ch.withoutMember(rm.user()), "removed", rm.user());
        }
        throw SwitchboardException.badRequest("op", "is not a channel change");
    }

    private Change add(Channel ch, String user, String event, String tenant) {
        if (ch.isMember(user)) {
            return new Change(ch, event, user);
        }
        if (ch.members().size() >= limits.maxMembers()) {
            throw SwitchboardException.conflict("channel is full (channels.maxMembers = " + limits.maxMembers() + ")");
        }
        checkRoom(tenant, user);
        return new Change(ch.withMember(user), event, user);
    }

    private Result reply(ChannelCommand c, Channel ch, Change change, boolean changed) {
        if (c instanceof ChannelCommand.Update) {
            return info(ch, false);
        }
        return new Result.ChannelChanged(ch.id(), change.user, change.event, changed);
    }

    /** Publishes a membership event on the channel's members path (seen by members only). */
    private CompletableFuture<Void> event(Principal p, String id, String change, String user) {
        ObjectNode data = Json.object().put("change", change).put("channel", id);
        if (user != null) {
            data.put("user", user);
        }
        data.put("by", p.userId());
        String local = ChannelMemberships.ROOT + "/" + id + "/" + ChannelMemberships.MEMBERS_SEGMENT;
        String path = p.tenant() == null ? local : "/t/" + p.tenant() + local;
        WriteOp op = new WriteOp.Publish(Ids.random(16), path, data, null, p.actor(), engine.now());
        return engine.write(op).thenApply(w -> null);
    }

    private Result list(Principal p) {
        List<Result.ChannelInfo> out = new ArrayList<>();
        for (String id : dir.channelsOf(p.tenant(), p.userId())) {
            Channel ch = dir.get(p.tenant(), id);
            if (ch != null && !ch.deleted()) {
                out.add(info(ch, false));
            }
        }
        out.sort(Comparator.comparing(Result.ChannelInfo::id));
        return new Result.ChannelList(out);
    }

    private Result get(Principal p, String id) {
        Channel ch = dir.get(p.tenant(), id);
        if (ch == null || ch.deleted()) {
            throw notFound(id);
        }
        if (!ch.isMember(p.userId())) {
            throw forbidden("only members see a channel's details");
        }
        return info(ch, true);
    }

    private Result.ChannelInfo info(Channel ch, boolean withMembers) {
        List<Result.ChannelInfo.Member> members = null;
        if (withMembers) {
            members = new ArrayList<>();
            for (String m : ch.members()) {
                User u = users.apply(m);
                members.add(new Result.ChannelInfo.Member(m, u == null ? null : u.username()));
            }
        }
        return new Result.ChannelInfo(ch.id(), ch.name(), ch.owner(), ch.model().wire(), ch.created(), members);
    }

    private void checkName(String name) {
        if (name != null && (name.isEmpty() || name.length() > limits.maxNameLength())) {
            throw SwitchboardException.badRequest("name", "must be 1 to " + limits.maxNameLength()
                    + " characters (channels.maxNameLength)");
        }
    }

    private void checkRoom(String tenant, String user) {
        if (dir.channelsOf(tenant, user).size() >= limits.maxPerUser()) {
            throw SwitchboardException.conflict("user is in too many channels (channels.maxPerUser = "
                    + limits.maxPerUser() + ")");
        }
    }

    private static void requireOwner(Channel ch, String me) {
        if (!ch.isOwner(me)) {
            throw forbidden(ch.isMember(me) ? "only the owner may do this" : "not a member");
        }
    }

    private static String idOf(ChannelCommand c) {
        if (c instanceof ChannelCommand.Update u) {
            return u.id();
        } else if (c instanceof ChannelCommand.Delete d) {
            return d.id();
        } else if (c instanceof ChannelCommand.Invite i) {
            return i.id();
        } else if (c instanceof ChannelCommand.Join j) {
            return j.id();
        } else if (c instanceof ChannelCommand.Leave l) {
            return l.id();
        } else if (c instanceof ChannelCommand.RemoveMember r) {
            return r.id();
        }
        throw SwitchboardException.badRequest("op", "is not a channel change");
    }

    private static SwitchboardException notFound(String id) {
        return SwitchboardException.notFound("channel '" + id + "'");
    }

    private static SwitchboardException forbidden(String why) {
        return new SwitchboardException(ErrorCode.FORBIDDEN, why);
    }
}
