package io.switchboard.core.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.error.ErrorCode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.json.Json;
import io.switchboard.core.op.InputLimits;
import io.switchboard.core.op.Request;
import io.switchboard.core.op.RequestParser;
import io.switchboard.core.query.plan.CriteriaPlan;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing of what every door does with client text: parse the JSON, then {@link RequestParser}.
 * Whatever the text, the outcome is a {@link Request} or a {@code BAD_REQUEST} with a message,
 * never another exception (no NullPointerException, ClassCastException, NumberFormatException,
 * StackOverflowError). Bounded by the tries count so it runs in seconds.
 */
class RequestParserFuzzTest {
    @Provide
    Arbitrary<String> messages() {
        return MessageFuzz.messages(7);
    }

    @Property(tries = 1000)
    void everyMessageParsesOrIsABadRequestNamingTheProblem(@ForAll("messages") String text) {
        JsonNode msg;
        try {
            msg = Json.parse(text);
        } catch (JsonProcessingException e) {
            // The doors answer this with BAD_REQUEST on 'message'; the reason must be sayable.
            assertThat(Json.problem(e)).isNotBlank();
            Statistics.label("outcome").collect("not JSON");
            return;
        }
        for (InputLimits limits : new InputLimits[] {InputLimits.DEFAULTS, new InputLimits(InputLimits.MAX_DEPTH_CEILING)}) {
            try {
                Request r = RequestParser.parse(msg, limits);
                assertThat(r).isNotNull();
                // What a store does next with a query: its plan must hold for every parsed criteria.
                if (r instanceof Request.Get g) {
                    CriteriaPlan.of(g.criteria());
                } else if (r instanceof Request.Count c) {
                    CriteriaPlan.of(c.criteria());
                }
                Statistics.label("outcome").collect("parsed");
            } catch (SwitchboardException e) {
                assertThat(e.code()).as(text).isEqualTo(ErrorCode.BAD_REQUEST);
                assertThat(e.getMessage()).as(text).isNotBlank();
                Statistics.label("outcome").collect("BAD_REQUEST");
            }
        }
    }

    @Property(tries = 300)
    void mutationsStartFromValidMessages(@ForAll("seeds") String seed) throws Exception {
        // The seeds themselves are valid: the mutations, not the seeds, are what is refused.
        Request r = RequestParser.parse(Json.parse(MessageFuzz.mutate(seed, 1, new java.util.Random(0), 0)));
        assertThat(r).isNotNull();
    }

    @Provide
    Arbitrary<String> seeds() {
        return net.jqwik.api.Arbitraries.of(MessageFuzz.SEEDS);
    }
}
