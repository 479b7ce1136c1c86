package dev.ebb.gateway;

import java.util.function.IntUnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Picks one of a revision's instances by the requests it has outstanding. With up to two instances
 * it takes the least loaded one; with more it uses "power of two choices" (two distinct random
 * instances, the less loaded wins), which spreads load nearly as well without scanning them all and
 * without every gateway replica stampeding to the same instance. Ties go to a random one, so
 * sequential requests do not all land on the first instance.
 */
final class EndpointChooser {

    private EndpointChooser() {
    }

    /**
     * @param count number of instances, at least 1
     * @param outstanding the requests in flight to the instance at an index
     * @param random the only source of randomness
     * @return the index of the chosen instance
     */
    static int choose(int count, IntUnaryOperator outstanding, RandomGenerator random) {
        if (count <= 2) {
            return leastOutstanding(count, outstanding, random);
        }
        return powerOfTwoChoices(count, outstanding, random);
    }

    /** The index with the fewest outstanding requests, ties broken by a random starting point. */
    static int leastOutstanding(int count, IntUnaryOperator outstanding, RandomGenerator random) {
        int start = count == 1 ? 0 : random.nextInt(count);
        int best = start;
        int bestLoad = outstanding.applyAsInt(start);
        for (int step = 1; step < count && bestLoad > 0; step++) {
            int i = (start + step) % count;
            int load = outstanding.applyAsInt(i);
            if (load < bestLoad) {
                best = i;
                bestLoad = load;
            }
        }
        return best;
    }

    /** Two distinct random indexes; the one with fewer outstanding requests, the first on a tie. */
    static int powerOfTwoChoices(int count, IntUnaryOperator outstanding, RandomGenerator random) {
        int first = random.nextInt(count);
        int second = random.nextInt(count - 1);
        if (second >= first) {
            second++;
        }
        return outstanding.applyAsInt(second) < outstanding.applyAsInt(first) ? second : first;
    }
}
