package io.switchboard.core.security;

import io.switchboard.core.path.Pattern;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The channel area in compiled permissions: membership alone decides inside, outside is untouched. */
class ChannelAreaPermissionsTest {
    private static Pattern p(String s) {
        return Pattern.compile(s, "p");
    }

    private static Permissions memberOf(Permissions base, String... channels) {
        return base.withArea(ChannelGrants.AREA, ChannelGrants.of(List.of(channels)));
    }

    @Test
    void everythingOutsideNothingInsideButOwnChannels() {
        Permissions admin = memberOf(Permissions.ALL, "c1");
        assertThat(admin.allows("/news/a", Action.SET)).isTrue();
        assertThat(admin.allows("/_channels/c1/messages", Action.PUBLISH)).isTrue();
        assertThat(admin.allows("/_channels/c1/messages", Action.SET)).isFalse();
        assertThat(admin.allows("/_channels/c1/members", Action.GET)).isTrue();
        assertThat(admin.allows("/_channels/c1/members", Action.PUBLISH)).isFalse();
        assertThat(admin.allows("/_channels/c2/messages", Action.GET)).isFalse();
        assertThat(admin.allows("/t/acme/_channels/c1/messages", Action.GET)).isFalse();
        assertThat(admin.allows("/_channels", Action.GET)).isFalse();
    }

    @Test
    void patternsOnBothSidesAreFilteredNotCovered() {
        Permissions perms = memberOf(Permissions.ALL, "c1");
        assertThat(perms.covers(p("/news/**"), Action.GET)).isTrue();
        assertThat(perms.covers(p("/**"), Action.GET)).isFalse();
        assertThat(perms.reaches(p("/**"), Action.GET)).isTrue();
        assertThat(perms.covers(p("/_channels/c1/**"), Action.GET)).isTrue();
        assertThat(perms.reaches(p("/_channels/c2/**"), Action.GET)).isFalse();
        assertThat(perms.reaches(p("/_channels/**"), Action.GET)).isTrue();
        assertThat(perms.covers(p("/_channels/**"), Action.GET)).isFalse();
        Permissions none = memberOf(Permissions.ALL);
        assertThat(none.reaches(p("/_channels/**"), Action.GET)).isFalse();
        assertThat(none.touches(p("/_channels/*/messages"), Action.SUBSCRIBE)).isFalse();
    }

    @Test
    void aGlobBelowAPathOutsideTheAreaIsCoveredLikeAnyPattern() {
        Permissions admin = memberOf(Permissions.ALL, "c1");
        for (String g : new String[] {"/compat/1/deep/*", "/news/x*y/*", "/t/acme/news/*"}) {
            assertThat(admin.covers(io.switchboard.core.path.GlobPattern.compile(g, "p"), Action.REMOVE)).as(g).isTrue();
        }
        for (String g : new String[] {"/*", "/_chan*", "/_channels/*", "/t/acme/*", "/t/*"}) {
            assertThat(admin.covers(io.switchboard.core.path.GlobPattern.compile(g, "p"), Action.REMOVE)).as(g).isFalse();
        }
    }

    @Test
    void narrowingKeepsTheArea() {
        Permissions perms = memberOf(Permissions.ALL, "c1").narrowedTo(Permissions.ALL);
        assertThat(perms.allows("/_channels/c2/x", Action.GET)).isFalse();
        assertThat(perms.allows("/_channels/c1/x", Action.GET)).isTrue();
    }
}
