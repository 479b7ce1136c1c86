package dev.ebb.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list. Pass {@code continue} back as the {@code continue} query parameter for the
 * next page; it is null on the last page.
 */
public record ListPage<T>(List<T> items, @JsonProperty("continue") String continueToken) {

    /**
     * The page from a query that fetched one item more than {@code size}: that extra item only tells
     * whether another page follows, which then continues after the key of the last item shown.
     */
    public static <T> ListPage<T> ofOverfetched(List<T> fetched, int size, Function<T, String> key) {
        if (fetched.size() <= size) {
            return new ListPage<>(fetched, null);
        }
        List<T> shown = fetched.subList(0, size);
        return new ListPage<>(shown, ContinueToken.encode(key.apply(shown.get(size - 1))));
    }

    public <R> ListPage<R> map(Function<List<T>, List<R>> convert) {
        return new ListPage<>(convert.apply(items), continueToken);
    }
}
