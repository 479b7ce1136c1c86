package dev.ebb.cli.traffic;

import dev.ebb.cli.CliFailure;
import dev.ebb.cli.ExitCode;
import dev.ebb.spec.TrafficTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns {@code hello-00001=90 @latest=10} and tags {@code stable=hello-00001} into traffic targets. {@code @latest}
 * is the target that follows the latest ready revision. A tag for a target in the split names it; a tag for any
 * other revision adds it at 0 %, reachable by its tag's URL alone. Whether the percents add up to 100 is Ebb's rule
 * to check.
 */
public final class TrafficArguments {

    public static final String LATEST = "@latest";

    private TrafficArguments() {
    }

    public static List<TrafficTarget> parse(List<String> shares, Map<String, String> tags) {
        List<TrafficTarget> targets = new ArrayList<>();
        for (String share : shares) {
            int equals = share.lastIndexOf('=');
            if (equals <= 0 || equals == share.length() - 1) {
                throw invalid("'" + share + "' is not a share: write REVISION=PERCENT or @latest=PERCENT, e.g. hello-00002=10");
            }
            String who = share.substring(0, equals);
            int percent = percent(share, share.substring(equals + 1));
            if (targets.stream().anyMatch(target -> names(target, who) && target.tag() == null)) {
                throw invalid("'" + who + "' is given twice: give each revision one share");
            }
            targets.add(LATEST.equals(who) ? TrafficTarget.latest(percent) : new TrafficTarget(who, null, percent, null));
        }
        tags.forEach((tag, who) -> {
            for (int i = 0; i < targets.size(); i++) {
                TrafficTarget target = targets.get(i);
                if (names(target, who) && target.tag() == null) {
                    targets.set(i, new TrafficTarget(target.revision(), target.latestRevision(), target.percent(), tag));
                    return;
                }
            }
            targets.add(LATEST.equals(who) ? new TrafficTarget(null, true, 0, tag) : new TrafficTarget(who, null, 0, tag));
        });
        if (targets.isEmpty()) {
            throw invalid("No traffic given: write shares such as hello-00002=100 or @latest=100");
        }
        return targets;
    }

    private static boolean names(TrafficTarget target, String who) {
        return LATEST.equals(who) ? target.followsLatest() : who.equals(target.revision());
    }

    private static int percent(String share, String text) {
        try {
            int percent = Integer.parseInt(text.endsWith("%") ? text.substring(0, text.length() - 1) : text);
            if (percent < 0 || percent > 100) {
                throw invalid("'" + share + "': a percent is from 0 to 100");
            }
            return percent;
        } catch (NumberFormatException e) {
            throw invalid("'" + share + "': '" + text + "' is not a whole percent from 0 to 100");
        }
    }

    private static CliFailure invalid(String message) {
        return new CliFailure(ExitCode.INVALID, message);
    }
}
