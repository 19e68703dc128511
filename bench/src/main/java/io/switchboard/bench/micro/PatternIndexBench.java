package io.switchboard.bench.micro;

import io.switchboard.core.path.Pattern;
import io.switchboard.core.path.PatternIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Match time of the subscription index: {@code subscriptions} entries spread over rooms,
 * users and wildcards, matched against one event path. The index should cost the path's depth,
 * so the figure should barely move between 1,000 and 100,000 subscriptions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PatternIndexBench {
    @Param({"1000", "100000"})
    int subscriptions;

    PatternIndex<Integer> index;
    String hotPath;
    String coldPath;

    @Setup
    public void setup() {
        index = new PatternIndex<>();
        for (int i = 0; i < subscriptions; i++) {
            String p = switch (i % 4) {
                case 0 -> "/rooms/" + (i % 10_000) + "/messages/*";
                case 1 -> "/users/" + i + "/**";
                case 2 -> "/rooms/*/typing";
                default -> "/tenants/t" + (i % 100) + "/docs/" + i;
            };
            index.add(Pattern.compile(p, "p"), i);
        }
        // Room 40 has subscriptions (i = 40, 10040, ... with i % 4 == 0); 42 would have none.
        hotPath = "/rooms/40/messages/m1";
        coldPath = "/nothing/here/at/all";
    }

    /** A path matched by a room's subscriptions. */
    @Benchmark
    public void matchRoomMessage(Blackhole bh) {
        index.match(hotPath, bh::consume);
    }

    /** A path no subscription matches. */
    @Benchmark
    public void matchNothing(Blackhole bh) {
        index.match(coldPath, bh::consume);
    }
}
