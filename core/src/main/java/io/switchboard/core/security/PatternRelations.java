package io.switchboard.core.security;

import io.switchboard.core.path.Paths;
import io.switchboard.core.path.Pattern;

/**
 * Set relations between two segment patterns, used to decide whether a pattern query or
 * subscription is fully inside what a permission allows ({@link #covers}) or touches what a
 * prohibition forbids ({@link #intersects}). {@code {name}} bindings count as {@code *}.
 * Both checks are linear in the number of segments.
 */
public final class PatternRelations {
    private PatternRelations() {
    }

    /** A pattern as segments: {@code prefix} before an optional trailing {@code **}. */
    private record Shape(String[] prefix, boolean open, boolean everything) {
        static Shape of(Pattern p) {
            if (p.matchesEverything()) {
                return new Shape(new String[0], true, true);
            }
            String[] segs = Paths.segments(p.text());
            boolean open = p.isOpenEnded();
            if (open) {
                String[] pre = new String[segs.length - 1];
                System.arraycopy(segs, 0, pre, 0, pre.length);
                segs = pre;
            }
            return new Shape(segs, open, false);
        }
    }

    private static boolean wild(String seg) {
        return seg.equals("*") || (seg.length() > 2 && seg.charAt(0) == '{' && seg.charAt(seg.length() - 1) == '}');
    }

    /** True when every path matched by {@code inner} is also matched by {@code outer}. */
    public static boolean covers(Pattern outer, Pattern inner) {
        Shape o = Shape.of(outer);
        Shape i = Shape.of(inner);
        if (o.everything) {
            return true;
        }
        if (i.everything) {
            return false;
        }
        int on = o.prefix.length;
        int in = i.prefix.length;
        if (!o.open) {
            if (i.open || in != on) {
                return false;
            }
        } else if (i.open ? in < on : in < on + 1) {
            // outer needs at least on+1 segments; an open inner has paths of length in+1 and up.
            return false;
        }
        for (int k = 0; k < on; k++) {
            String os = o.prefix[k];
            if (!wild(os) && (k >= in || wild(i.prefix[k]) || !os.equals(i.prefix[k]))) {
                return false;
            }
        }
        return true;
    }

    /** True when some path is matched by both patterns. */
    public static boolean intersects(Pattern a, Pattern b) {
        Shape x = Shape.of(a);
        Shape y = Shape.of(b);
        if (x.everything || y.everything) {
            return true;
        }
        int xn = x.prefix.length;
        int yn = y.prefix.length;
        if (!x.open && !y.open && xn != yn) {
            return false;
        }
        if (!x.open && y.open && xn < yn + 1) {
            return false;
        }
        if (x.open && !y.open && yn < xn + 1) {
            return false;
        }
        int common = Math.min(xn, yn);
        for (int k = 0; k < common; k++) {
            String xs = x.prefix[k];
            String ys = y.prefix[k];
            if (!wild(xs) && !wild(ys) && !xs.equals(ys)) {
                return false;
            }
        }
        return true;
    }
}
