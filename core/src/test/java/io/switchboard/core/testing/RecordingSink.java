package io.switchboard.core.testing;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.model.Event;
import io.switchboard.core.result.DisconnectReason;
import io.switchboard.core.result.Notice;
import io.switchboard.core.result.Result;
import io.switchboard.core.router.Subscription;
import io.switchboard.core.session.SessionSink;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A session sink for tests: records everything the engine sends, accepts every push, never acks. */
public class RecordingSink implements SessionSink {
    /** A push as received. */
    public record Push(String sub, Event event, boolean needsAck) { }

    public final List<Result> replies = new CopyOnWriteArrayList<>();
    public final List<SwitchboardException> errors = new CopyOnWriteArrayList<>();
    public final List<Push> pushes = new CopyOnWriteArrayList<>();
    public final List<Notice> notices = new CopyOnWriteArrayList<>();
    public final List<DisconnectReason> closes = new CopyOnWriteArrayList<>();

    @Override
    public void reply(long requestId, Result result) {
        replies.add(result);
    }

    @Override
    public void error(long requestId, SwitchboardException error) {
        errors.add(error);
    }

    @Override
    public boolean push(Subscription subscription, Event event, boolean needsAck) {
        pushes.add(new Push(subscription.id(), event, needsAck));
        return true;
    }

    @Override
    public void notice(Notice notice) {
        notices.add(notice);
    }

    @Override
    public void close(DisconnectReason reason) {
        closes.add(reason);
    }
}
