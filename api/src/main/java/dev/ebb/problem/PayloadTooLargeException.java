package dev.ebb.problem;

import java.util.List;

/** The request body is over the API's size limit (413). */
public class PayloadTooLargeException extends EbbException {

    public PayloadTooLargeException(long limitBytes) {
        super(413, "payload-too-large", "Request body too large",
                "The request body is larger than " + limitBytes + " bytes; send a smaller document", List.of());
    }
}
