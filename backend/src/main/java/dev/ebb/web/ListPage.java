package dev.ebb.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One page of a list. Pass {@code continue} back as the {@code continue} query parameter for the
 * next page; it is null on the last page.
 */
public record ListPage<T>(List<T> items, @JsonProperty("continue") String continueToken) {
}
