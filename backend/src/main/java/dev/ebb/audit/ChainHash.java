package dev.ebb.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The canonical encoding of an audit event and the hash that chains it to the event before it.
 *
 * <p>An event's {@code hash} is the SHA-256 of the encoding below, written as 64 lowercase hexadecimal digits.
 * The encoding is the concatenation, with nothing in between, of these 16 fields in this order:
 * <ol>
 *   <li>the format version, the text {@code ebb-audit-v1}</li>
 *   <li>{@code id}, in decimal</li>
 *   <li>{@code occurred_at}, in UTC as {@code yyyy-MM-ddTHH:mm:ss.ffffffZ}, always six fractional digits
 *       (PostgreSQL: {@code to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')})</li>
 *   <li>{@code actor}</li>
 *   <li>{@code credential}</li>
 *   <li>{@code action}</li>
 *   <li>{@code namespace}</li>
 *   <li>{@code service}</li>
 *   <li>{@code target}</li>
 *   <li>{@code before}, the JSON text exactly as stored ({@code before::text})</li>
 *   <li>{@code after}, likewise</li>
 *   <li>{@code request_id}</li>
 *   <li>{@code source_address}</li>
 *   <li>{@code user_agent}</li>
 *   <li>{@code change_cause}</li>
 *   <li>{@code prev_hash}: the {@code hash} of the event with the next lower id, null for the first event</li>
 * </ol>
 * Each field is encoded as bytes: a null field as the two ASCII characters {@code -,}; any other value, the
 * empty string included, as a netstring: the number of bytes of the value's UTF-8 encoding in decimal ASCII
 * without leading zeros, the character {@code :}, those UTF-8 bytes, and the character {@code ,}. So
 * {@code null}, {@code ""} and {@code "ab"} encode as {@code -,}, {@code 0:,} and {@code 2:ab,}, and
 * no two different lists of fields have the same encoding.
 *
 * <p>The chain runs in id order, which is commit order. Migration {@code V4__audit_chain.sql} computes the
 * same hash in SQL for the events written before the chain existed. Pure: no Spring, no I/O.
 */
final class ChainHash {

    static final String VERSION = "ebb-audit-v1";
    private static final DateTimeFormatter OCCURRED_AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private ChainHash() {
    }

    /** The instant as PostgreSQL's {@code timestamptz} keeps it, microseconds, so that what is hashed is what is stored. */
    static Instant storedPrecision(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** The event's hash given the hash of the event before it (null for the first event). */
    static String hash(EventContent event, String prevHash) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encode(event, prevHash)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The bytes {@link #hash} digests. */
    static byte[] encode(EventContent event, String prevHash) {
        if (event.occurredAt().getNano() % 1_000 != 0) {
            throw new IllegalArgumentException("occurredAt " + event.occurredAt()
                    + " has nanoseconds that timestamptz cannot store; truncate it with storedPrecision first");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        field(out, VERSION);
        field(out, Long.toString(event.id()));
        field(out, OCCURRED_AT.format(event.occurredAt()));
        field(out, event.actor());
        field(out, event.credential());
        field(out, event.action());
        field(out, event.namespace());
        field(out, event.service());
        field(out, event.target());
        field(out, event.before());
        field(out, event.after());
        field(out, event.requestId());
        field(out, event.sourceAddress());
        field(out, event.userAgent());
        field(out, event.changeCause());
        field(out, prevHash);
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.writeBytes(new byte[] {'-', ','});
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.writeBytes(bytes);
        out.write(',');
    }
}
