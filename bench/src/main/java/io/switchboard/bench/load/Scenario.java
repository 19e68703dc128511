package io.switchboard.bench.load;

/** One load scenario ({@code ./bench.sh <name>}). */
public interface Scenario {
    String name();

    Result run(Ctx ctx) throws Exception;
}
