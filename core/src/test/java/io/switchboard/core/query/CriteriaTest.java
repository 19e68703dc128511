package io.switchboard.core.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.json.Json;
import io.switchboard.core.model.DocMeta;
import io.switchboard.core.model.Document;
import org.junit.jupiter.api.Test;

import static io.switchboard.core.TestErrors.assertBad;
import static org.assertj.core.api.Assertions.assertThat;

class CriteriaTest {
    private static JsonNode j(String s) {
        try {
            return Json.parse(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final Document DOC = new Document("/shop/items/1",
            j("{'name':'Widget','price':10,'tags':['red','blue'],'stock':{'count':0},'on':true,'nothing':null}"),
            new DocMeta(1000, 2000, 3, "alice"));

    private static boolean m(String criteria) {
        return CriteriaMatcher.matches(CriteriaParser.parse(j(criteria), "criteria"), DOC);
    }

    @Test
    void comparisons() {
        assertThat(m("{'price':10}")).isTrue();
        assertThat(m("{'price':10.0}")).isTrue();
        assertThat(m("{'price':{'$gt':5,'$lt':20}}")).isTrue();
        assertThat(m("{'price':{'$gte':10}}")).isTrue();
        assertThat(m("{'price':{'$lte':9}}")).isFalse();
        assertThat(m("{'price':{'$ne':10}}")).isFalse();
        assertThat(m("{'missing':{'$ne':10}}")).isTrue();
        assertThat(m("{'name':{'$gt':'A'}}")).isTrue();
        assertThat(m("{'name':{'$gt':5}}")).as("no ordering across types").isFalse();
        assertThat(m("{'on':true}")).isTrue();
        assertThat(m("{'on':1}")).as("booleans are not numbers").isFalse();
    }

    @Test
    void numbersOutOfRangeAreABadRequestNamingTheField() {
        for (String c : new String[] {"{'price':1e400}", "{'price':{'$gt':-1e400}}", "{'price':{'$ne':1e999}}", "{'$or':[{'price':{'$lte':2e308}}]}"}) {
            assertBad(() -> CriteriaParser.parse(j(c), "criteria"), "finite number");
        }
        assertBad(() -> CriteriaParser.parse(j("{'price':{'$in':[1,1e400]}}"), "criteria"), "criteria.price.$in[1]");
        assertThat(m("{'price':{'$lt':1e300}}")).as("large but finite still compares").isTrue();
        // An exponent beyond BigDecimal's is unreadable text already (the doors answer BAD_REQUEST on it).
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.switchboard.core.json.Json.parse("{\"price\":{\"$in\":[1,1E+2147483648]}}"))
                .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
    }

    @Test
    void arraysMatchAnyElement() {
        assertThat(m("{'tags':'red'}")).isTrue();
        assertThat(m("{'tags':{'$in':['green','blue']}}")).isTrue();
        assertThat(m("{'tags':{'$nin':['red']}}")).isFalse();
        assertThat(m("{'tags':['red','blue']}")).isTrue();
        assertThat(m("{'tags':{'$regex':'^bl'}}")).isTrue();
    }

    @Test
    void dottedFieldsExistsAndMeta() {
        assertThat(m("{'stock.count':0}")).isTrue();
        assertThat(m("{'stock.count':{'$exists':true}}")).isTrue();
        assertThat(m("{'stock.size':{'$exists':false}}")).isTrue();
        assertThat(m("{'nothing':{'$exists':true}}")).as("present null exists").isTrue();
        assertThat(m("{'_meta.path':{'$regex':'^/shop/'}}")).isTrue();
        assertThat(m("{'_meta.created':{'$lt':1500}}")).isTrue();
        assertThat(m("{'_meta.modified':2000}")).isTrue();
        assertThat(m("{'_meta.version':3}")).isTrue();
    }

    @Test
    void logic() {
        assertThat(m("{'$or':[{'price':1},{'name':'Widget'}]}")).isTrue();
        assertThat(m("{'$and':[{'price':10},{'name':'Gadget'}]}")).isFalse();
        assertThat(m("{'$not':{'price':10}}")).isFalse();
        assertThat(m("{'price':{'$not':{'$gt':50}}}")).isTrue();
        assertThat(m("{'name':{'$regex':'widget','$options':'i'}}")).isTrue();
        assertThat(m("{'name':{'$regex':['widget','i']}}")).isTrue();
        assertThat(m("{}")).isTrue();
    }

    @Test
    void badCriteriaNameTheField() {
        assertBad(() -> CriteriaParser.parse(j("{'a':{'$near':1}}"), "criteria"), "'criteria.a.$near' is not a known criteria operator");
        assertBad(() -> CriteriaParser.parse(j("{'$where':'1'}"), "criteria"), "'criteria.$where'");
        assertBad(() -> CriteriaParser.parse(j("{'a':{'$in':5}}"), "criteria"), "'criteria.a.$in' must be an array");
        assertBad(() -> CriteriaParser.parse(j("{'a':{'$gt':{}}}"), "criteria"), "'criteria.a.$gt'");
        assertBad(() -> CriteriaParser.parse(j("{'$or':[]}"), "criteria"), "'criteria.$or'");
        assertBad(() -> CriteriaParser.parse(j("{'a':{'$regex':'('}}"), "criteria"), "regular expression");
        assertBad(() -> CriteriaParser.parse(j("{'_meta.secret':1}"), "criteria"), "meta field");
        assertBad(() -> CriteriaParser.parse(j("[1]"), "criteria"), "'criteria' must be an object");
    }
}
