package io.trustplane.verifier;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code trustplane verify}: checks one provenance record against the log key, optional witness keys and the last
 * trusted checkpoint, prints one verdict line and exits 0 when verified, else the {@link Verdict}'s exit code.
 */
public final class Main {

    static final String USAGE = """
            usage: trustplane verify --log-key VKEY (--bundle FILE | --id RECORD_ID --log-url URL [--token TOKEN])
                                     [--witness VKEY]... [--quorum K] [--state FILE] [--allow-older]
                                     [--save-bundle FILE]
              --log-key      the log's verifier key (GET /v1/log/key), e.g. trustplane.local/provenance+1a2b3c4d+AX...
              --bundle       a record bundle JSON (leaf, leafIndex, hashes, checkpoint[, consistency]) to check offline
              --id/--log-url fetch the record's bundle from provenance-service (token: --token or TRUSTPLANE_TOKEN)
              --witness      a witness's cosignature/v1 verifier key (repeat for each witness)
              --quorum       how many of the witnesses must have cosigned (default: all given)
              --state        the trusted-checkpoint file (default ~/.trustplane/verifier/<origin>.checkpoint)
              --allow-older  accept a checkpoint older than the trusted one when it is proven consistent
              --save-bundle  write the checked bundle to FILE (for offline checks later)
            exit codes: 0 verified; 1 usage; 2 malformed; 3 bad log signature; 4 bad cosignature; 5 too few
            cosignatures; 6 not included; 7 inconsistent (fork); 8 stale; 9 log unreachable
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command and returns its exit code (tests call this directly). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Options o = Options.parse(args);
            Policy policy = new Policy(NoteKey.parse(o.logKey), o.witnesses.stream().map(Main::key).toList(),
                    o.quorum == null ? o.witnesses.size() : o.quorum, o.allowOlder);
            LogClient client = o.logUrl == null ? null : new LogClient(o.logUrl, o.token);
            RecordBundle bundle;
            if (o.bundle != null) {
                bundle = RecordBundle.parse(Files.readString(Path.of(o.bundle), StandardCharsets.UTF_8));
            } else {
                bundle = client.bundle(o.id, policy.quorum() > 0);
            }
            TrustState state = new TrustState(o.state != null ? Path.of(o.state)
                    : TrustState.defaultFile(policy.logKey().name()));
            RecordVerifier.ConsistencySource source = client != null ? client : (from, to) -> Optional.empty();
            RecordVerifier.Result result = new RecordVerifier(policy).verify(bundle, state.load(), source);
            if (o.saveBundle != null) {
                Files.writeString(Path.of(o.saveBundle), bundle.toJson(), StandardCharsets.UTF_8);
            }
            state.save(result.trusted());
            out.println("OK: " + result.summary() + "; trusted checkpoint kept in " + state.file());
            return Verdict.OK.exitCode();
        } catch (VerificationException e) {
            err.println("FAIL " + e.verdict() + " (exit " + e.verdict().exitCode() + ", " + e.verdict().meaning()
                    + "): " + e.getMessage());
            if (e.verdict() == Verdict.USAGE) {
                err.print(USAGE);
            }
            return e.verdict().exitCode();
        } catch (IllegalArgumentException | IOException e) {
            err.println("FAIL USAGE (exit 1): " + e.getMessage());
            err.print(USAGE);
            return Verdict.USAGE.exitCode();
        }
    }

    private static NoteKey key(String vkey) {
        return NoteKey.parse(vkey);
    }

    /** The command line, parsed. */
    private static final class Options {
        String logKey;
        String bundle;
        String id;
        String logUrl;
        String token = System.getenv("TRUSTPLANE_TOKEN");
        final List<String> witnesses = new ArrayList<>();
        Integer quorum;
        String state;
        boolean allowOlder;
        String saveBundle;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--allow-older")) {
                    o.allowOlder = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--log-key" -> o.logKey = v;
                    case "--bundle" -> o.bundle = v;
                    case "--id" -> o.id = v;
                    case "--log-url" -> o.logUrl = v;
                    case "--token" -> o.token = v;
                    case "--witness" -> o.witnesses.add(v);
                    case "--quorum" -> o.quorum = quorum(v);
                    case "--state" -> o.state = v;
                    case "--save-bundle" -> o.saveBundle = v;
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.logKey == null) {
                throw new IllegalArgumentException("--log-key is required");
            }
            if ((o.bundle == null) == (o.id == null)) {
                throw new IllegalArgumentException("give exactly one of --bundle and --id");
            }
            if (o.id != null && o.logUrl == null) {
                throw new IllegalArgumentException("--id needs --log-url");
            }
            return o;
        }

        private static int quorum(String v) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--quorum must be a number: " + v);
            }
        }
    }
}
