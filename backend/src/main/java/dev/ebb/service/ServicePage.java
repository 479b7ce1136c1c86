package dev.ebb.service;

import java.util.List;

/**
 * One page of a search across namespaces.
 *
 * @param continueToken where the next page starts, null on the last
 * @param total how many services match the search, on every page together
 */
public record ServicePage(List<ServiceView> items, String continueToken, long total) {
}
