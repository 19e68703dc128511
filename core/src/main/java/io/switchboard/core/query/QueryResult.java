package io.switchboard.core.query;

import io.switchboard.core.model.Document;

import java.util.List;

/** A page of documents and the number of all matches ignoring limit and skip. */
public record QueryResult(List<Document> items, long total) {
}
