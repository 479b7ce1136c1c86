package dev.ebb.runtime;

/** Whether an instance still has requests in flight, as the gateways last reported. */
public interface InstanceActivity {

    /** Nothing is known: an instance is stopped after the fixed drain alone. */
    InstanceActivity UNKNOWN = (revision, instance) -> false;

    boolean busy(RevisionKey revision, String instance);
}
