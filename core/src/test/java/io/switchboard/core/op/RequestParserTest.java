package io.switchboard.core.op;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.EventType;
import org.junit.jupiter.api.Test;

import static io.switchboard.core.TestErrors.assertBad;
import static org.assertj.core.api.Assertions.assertThat;

class RequestParserTest {
    private static JsonNode j(String s) {
        try {
            return Json.parse(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Request p(String s) {
        return RequestParser.parse(j(s));
    }

    @Test
    void parsesEveryOp() {
        Request.Set set = (Request.Set) p("{'op':'set','path':'a/b','data':{'x':1},'merge':true,'ifVersion':2,"
                + "'meta':{'k':'v'},'targetSessions':['s'],'consistency':'acknowledged','ackTimeout':500}");
        assertThat(set.path()).isEqualTo("/a/b");
        assertThat(set.merge()).isTrue();
        assertThat(set.ifVersion()).isEqualTo(2);
        assertThat(set.consistency()).isEqualTo(Consistency.ACKNOWLEDGED);
        assertThat(set.ackTimeoutMs()).isEqualTo(500);
        assertThat(set.targetSessions()).containsExactly("s");

        Request.Get get = (Request.Get) p("{'op':'get','path':'/a/*','criteria':{'x':1},'sort':{'x':-1},'limit':5,'skip':1,'fields':['x'],'pathsOnly':true}");
        assertThat(get.target().isExact()).isFalse();
        assertThat(get.sort().get(0).ascending()).isFalse();

        Request.Subscribe sub = (Request.Subscribe) p("{'op':'subscribe','pattern':'/a/**','events':['set','remove'],'count':3,'initial':'snapshot','since':{'epoch':'e','offset':9},'mergeOnly':true}");
        assertThat(sub.events()).containsExactlyInAnyOrder(EventType.SET, EventType.REMOVE);
        assertThat(sub.sinceOffset()).isEqualTo(9);
        assertThat(sub.sinceEpoch()).isEqualTo("e");
        assertThat(sub.snapshot()).isTrue();

        assertThat(p("{'op':'subscribe','path':'/x','since':4}")).isInstanceOf(Request.Subscribe.class);
        assertThat(p("{'op':'publish','path':'/p','data':1,'at':123}")).isInstanceOf(Request.Publish.class);
        assertThat(p("{'op':'cancel','eventId':'e1'}")).isInstanceOf(Request.Cancel.class);
        assertThat(p("{'op':'history','pattern':'/a/*','since':1,'limit':10,'wait':5}")).isInstanceOf(Request.History.class);
        assertThat(p("{'op':'ack','offset':4}")).isInstanceOf(Request.Ack.class);
        assertThat(p("{'op':'unsubscribe','sub':'s1'}")).isInstanceOf(Request.Unsubscribe.class);
        assertThat(p("{'op':'remove','path':'/a/**'}")).isInstanceOf(Request.Remove.class);
        assertThat(p("{'op':'count','path':'/a/*'}")).isInstanceOf(Request.Count.class);
        assertThat(p("{'op':'ping'}")).isInstanceOf(Request.Ping.class);
        assertThat(p("{'op':'connect','token':'t'}")).isInstanceOf(Request.Connect.class);
    }

    @Test
    void badInputNamesTheField() {
        assertBad(() -> p("{'path':'/a'}"), "'op' is required");
        assertBad(() -> p("{'op':7}"), "'op' must be a string");
        assertBad(() -> p("{'op':'explode'}"), "'op' 'explode' is not a known operation");
        assertBad(() -> p("{'op':'set','path':'/a/*','data':1}"), "'path' must not contain '*'");
        assertBad(() -> p("{'op':'set','path':'/a'}"), "'data' is required");
        assertBad(() -> p("{'op':'set','path':5,'data':1}"), "'path' must be a string");
        assertBad(() -> p("{'op':'set','path':'/a','data':1,'merge':'yes'}"), "'merge' must be a boolean");
        assertBad(() -> p("{'op':'set','path':'/a','data':1,'merge':true}"), "'data' must be an object");
        assertBad(() -> p("{'op':'set','path':'/a','data':{},'ifVersion':'1'}"), "'ifVersion' must be an integer");
        assertBad(() -> p("{'op':'set','path':'/a','data':{},'meta':{'version':1}}"), "'meta.version' is reserved");
        assertBad(() -> p("{'op':'set','path':'/a','data':{},'consistency':'eventual'}"), "'consistency'");
        assertBad(() -> p("{'op':'get','path':'/a','limit':-1}"), "'limit' must be between");
        assertBad(() -> p("{'op':'get','path':'/a','sort':{'x':2}}"), "'sort.x' must be 1 or -1");
        assertBad(() -> p("{'op':'subscribe','pattern':'/a','events':['update']}"), "'events'");
        assertBad(() -> p("{'op':'subscribe','pattern':'/a','initial':'all'}"), "'initial'");
        assertBad(() -> p("{'op':'subscribe','pattern':'/a','since':'x'}"), "'since'");
        assertBad(() -> p("{'op':'history','pattern':'/a','wait':61}"), "'wait' must be between 0 and 60");
        assertBad(() -> p("{'op':'unsubscribe'}"), "'sub'");
        assertBad(() -> p("{'op':'cancel'}"), "'eventId' is required");
        assertBad(() -> p("[1,2]"), "'message' must be a JSON object");
    }
}
