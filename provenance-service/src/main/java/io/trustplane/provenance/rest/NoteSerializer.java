package io.trustplane.provenance.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a signed checkpoint note as a JSON string from bytes encoded once per note. A note's signature line starts
 * with an em dash (C2SP signed-note), so the JDK holds it as UTF-16, and Jackson's per-character escaping of such
 * strings was 60–70 % of provenance-service's CPU on a listing page (twenty records, each carrying the note that
 * covers it; JFR under the listing benchmark). A log has one note per checkpoint and they never change, so the quoted
 * UTF-8 form is kept and copied into the output; the cache is emptied when it reaches {@link #MAX_NOTES} entries.
 */
public class NoteSerializer extends StdSerializer<String> {

    static final int MAX_NOTES = 8192;
    private static final Map<String, SerializableString> ENCODED = new ConcurrentHashMap<>();

    public NoteSerializer() {
        super(String.class);
    }

    @Override
    public void serialize(String note, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeString(encoded(note));
    }

    static SerializableString encoded(String note) {
        SerializableString known = ENCODED.get(note);
        if (known != null) {
            return known;
        }
        if (ENCODED.size() >= MAX_NOTES) {
            ENCODED.clear();
        }
        SerializedString fresh = new SerializedString(note);
        fresh.asQuotedUTF8(); // encode now, once, rather than lazily on the writer's thread each time
        ENCODED.put(note, fresh);
        return fresh;
    }

    /** How many notes are kept encoded now. */
    static int size() {
        return ENCODED.size();
    }
}
