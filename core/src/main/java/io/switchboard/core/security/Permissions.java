package io.switchboard.core.security;

import io.switchboard.core.path.PathMatcher;
import io.switchboard.core.path.Pattern;
import io.switchboard.core.path.PatternIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * A principal's compiled permissions: rules (pattern, allowed actions, prohibited actions) in a
 * {@link PatternIndex}, so checking one path costs its depth, not the number of rules. A
 * prohibition wins over any allow. An optional {@code within} set (a session profile's narrowed
 * permissions) must allow the action too. Immutable; rebuilt when security data changes.
 */
public final class Permissions {
    /** One compiled rule: a segment {@link Pattern} or a {@link io.switchboard.core.path.GlobPattern}. */
    record Rule(PathMatcher pattern, int allow, int deny) { }

    /** Allows nothing. */
    public static final Permissions NONE = new Permissions(List.of(), null);
    /** Allows everything (the {@code admin} group). */
    public static final Permissions ALL = new Permissions(List.of(new Rule(Pattern.compile("*", "pattern"), Action.ALL, 0)), null);

    private final List<Rule> rules;
    private final PatternIndex<Rule> index = new PatternIndex<>();
    /** Rules with glob paths, which the segment index cannot hold: tested one by one. */
    private final List<Rule> globs = new ArrayList<>();
    private final Permissions within;
    /** A reserved area (channel messages) where only {@link #inside} decides; null when none. */
    private final Area area;

    Permissions(List<Rule> rules, Permissions within) {
        this(rules, within, null);
    }

    private Permissions(List<Rule> rules, Permissions within, Area area) {
        this.rules = List.copyOf(rules);
        this.within = within;
        this.area = area;
        for (Rule r : this.rules) {
            if (r.pattern() instanceof Pattern p) {
                index.add(p, r);
            } else {
                globs.add(r);
            }
        }
    }

    /**
     * Paths where a second set of permissions alone decides: nothing granted outside reaches in
     * (not even {@code *} on {@code **}), and {@code inside} grants nothing outside.
     */
    record Area(List<Pattern> patterns, Permissions inside) {
        boolean contains(String path) {
            for (Pattern p : patterns) {
                if (p.matches(path)) {
                    return true;
                }
            }
            return false;
        }

        /** True when every path of {@code q} lies in the area. */
        boolean covers(Pattern q) {
            for (Pattern p : patterns) {
                if (PatternRelations.covers(p, q)) {
                    return true;
                }
            }
            return false;
        }

        /** True when some path of {@code q} lies in the area. */
        boolean touches(Pattern q) {
            for (Pattern p : patterns) {
                if (PatternRelations.intersects(p, q) || PatternRelations.covers(q, p)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The same permissions, except that on the paths of {@code areaPatterns} only {@code inside} decides. */
    Permissions withArea(List<Pattern> areaPatterns, Permissions inside) {
        return new Permissions(rules, within, new Area(List.copyOf(areaPatterns), inside));
    }

    /** Where {@code target} lies against the area: 1 wholly inside, -1 wholly outside, 0 both. */
    private int side(PathMatcher target) {
        if (area == null) {
            return -1;
        }
        if (!(target instanceof Pattern q)) {
            // A happn-style glob matches only below its literal prefix's last complete segment:
            // outside the area when nothing under that path can be in it.
            String lit = target.literalPrefix();
            int slash = lit.lastIndexOf('/');
            String under = slash <= 0 ? "" : lit.substring(0, slash);
            if (under.isEmpty()) {
                return 0;
            }
            return area.contains(under) || area.touches(Pattern.compile(under + "/**", "pattern")) ? 0 : -1;
        }
        if (area.covers(q)) {
            return 1;
        }
        return area.touches(q) ? 0 : -1;
    }

    /** These permissions without the area, for the paths outside it. */
    private Permissions outside() {
        return new Permissions(rules, within, null);
    }

    /** The same rules, additionally limited to what {@code limit} allows (null: unchanged). */
    public Permissions narrowedTo(Permissions limit) {
        if (limit == null) {
            return this;
        }
        return new Permissions(rules, within == null ? limit : within.narrowedTo(limit), area);
    }

    /** True when {@code action} is allowed on the exact, normalized {@code path}. */
    public boolean allows(String path, Action action) {
        if (area != null && area.contains(path)) {
            return area.inside.allows(path, action);
        }
        int[] acc = new int[2];
        index.match(path, r -> {
            acc[0] |= r.allow();
            acc[1] |= r.deny();
        });
        for (Rule r : globs) {
            if (r.pattern().matches(path)) {
                acc[0] |= r.allow();
                acc[1] |= r.deny();
            }
        }
        int bit = action.bit();
        boolean ok = (acc[0] & bit) != 0 && (acc[1] & bit) == 0;
        return ok && (within == null || within.allows(path, action));
    }

    /**
     * True when {@code action} is allowed on every path {@code target} can match: one allow rule
     * covers the whole pattern and no prohibition touches it. A pattern allowed only through the
     * union of several narrower rules is not covered (the caller must ask for less).
     */
    public boolean covers(PathMatcher target, Action action) {
        boolean ok;
        if (target.isExact()) {
            return allows(target.text(), action);
        }
        int side = side(target);
        if (side == 1) {
            return area.inside.covers(target, action);
        } else if (side == 0) {
            return area.inside.covers(target, action) && outside().covers(target, action);
        } else {
            ok = coversPattern(target, action);
        }
        return ok && (within == null || within.covers(target, action));
    }

    private boolean coversPattern(PathMatcher q, Action action) {
        int bit = action.bit();
        boolean allowed = false;
        for (Rule r : rules) {
            if ((r.deny() & bit) != 0 && MatcherRelations.intersects(r.pattern(), q)) {
                return false;
            }
            if (!allowed && (r.allow() & bit) != 0 && MatcherRelations.covers(r.pattern(), q)) {
                allowed = true;
            }
        }
        return allowed;
    }

    /** True when {@code action} could be allowed on some path of {@code target}. */
    public boolean touches(PathMatcher target, Action action) {
        int side = side(target);
        if (side == 1) {
            return area.inside.touches(target, action);
        } else if (side == 0) {
            return area.inside.touches(target, action) || outside().touches(target, action);
        }
        int bit = action.bit();
        boolean any = false;
        for (Rule r : rules) {
            if ((r.allow() & bit) != 0 && MatcherRelations.intersects(r.pattern(), target)) {
                any = true;
                break;
            }
        }
        return any && (within == null || within.touches(target, action));
    }

    /**
     * True when {@code action} could be allowed on some path of {@code target} and no single
     * prohibition takes away all of it.
     */
    public boolean reaches(PathMatcher target, Action action) {
        int side = side(target);
        if (side == 1) {
            return area.inside.reaches(target, action);
        } else if (side == 0) {
            return area.inside.reaches(target, action) || outside().reaches(target, action);
        }
        if (!touches(target, action)) {
            return false;
        }
        int bit = action.bit();
        for (Rule r : rules) {
            if ((r.deny() & bit) != 0 && MatcherRelations.covers(r.pattern(), target)) {
                return false;
            }
        }
        return within == null || within.reaches(target, action);
    }

    /** Builds a set from rules; used by {@link PermissionCompiler}. */
    static Permissions of(List<Rule> rules) {
        return rules.isEmpty() ? NONE : new Permissions(new ArrayList<>(rules), null);
    }

    int size() {
        return rules.size();
    }
}
