package dev.ebb.overview;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One page of service summaries. Pass {@code continue} back for the next page; it is null on the last.
 *
 * @param total how many services match the filters, on every page together
 */
public record ServiceSummaryPage(List<ServiceSummary> items, @JsonProperty("continue") String continueToken, long total) {
}
