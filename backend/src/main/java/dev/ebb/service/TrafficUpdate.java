package dev.ebb.service;

import dev.ebb.spec.TrafficTarget;
import java.util.List;

/** The body of {@code PUT .../services/{name}/traffic}. */
record TrafficUpdate(List<TrafficTarget> traffic) {
}
